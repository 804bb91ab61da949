package io.recalign.teacher;

/** A stored teacher is READY (complete, may be active) until a newer one of its dataset replaces it: RETIRED. */
public enum TeacherStatus { READY, RETIRED }
