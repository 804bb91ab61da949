package io.recalign.tasks;

import java.util.List;
import java.util.Objects;

/** Argument checks shared by the task records, with messages fit for a problem response. */
final class Require {

    private Require() {
    }

    static List<String> titles(List<String> titles, String what) {
        Objects.requireNonNull(titles, what);
        if (titles.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        titles.forEach(title -> text(title, what + " title"));
        return List.copyOf(titles);
    }

    static void count(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("the number of items asked for must be at least 1, was " + count);
        }
    }

    static void text(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }
}
