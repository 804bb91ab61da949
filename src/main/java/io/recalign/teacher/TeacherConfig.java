package io.recalign.teacher;

/** How a stored teacher was built: its architecture and the options it was trained with. */
public record TeacherConfig(SasRecConfig model, TrainingOptions training) {
}
