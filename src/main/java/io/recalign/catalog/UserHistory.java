package io.recalign.catalog;

import java.util.List;

/** A user's ordered sequence after the protocol, with the leave-one-out split of each interaction. */
public record UserHistory(String dataset, String user, List<Entry> interactions) {

    public UserHistory {
        interactions = List.copyOf(interactions);
    }

    /** One interaction; {@code rating} is null when the source had none. */
    public record Entry(int position, String item, String title, long timestamp, Float rating, String split) {
    }
}
