-- Teacher-labelled instruction examples (method §3), stored as versioned, immutable sets so every
-- training run can be reproduced and inspected. A set is written in one transaction with its examples.
create table instruction_sets (
    id          bigserial   primary key,
    dataset     text        not null references datasets (name) on delete cascade,
    -- the teacher that labelled the examples
    teacher_id  bigint      references teachers (id) on delete set null,
    seed        bigint      not null,
    -- requested examples per split and task: {"train": {"seqrec": 400, ...}, "valid": {...}, "test": {...}}
    plan        jsonb       not null,
    -- examples actually stored per split and task, in the same shape
    counts      jsonb       not null,
    created_at  timestamptz not null default now()
);

create index instruction_sets_dataset_idx on instruction_sets (dataset, id);

create table instruction_examples (
    set_id      bigint  not null references instruction_sets (id) on delete cascade,
    -- order of the example within its set (the builder's order)
    position    integer not null,
    split       text    not null check (split in ('train', 'valid', 'test')),
    task        text    not null,
    prompt      text    not null,
    answer      text    not null,
    -- history, target, N, C, polarity, k, candidates and label in dense catalog indices
    parameters  jsonb   not null,
    primary key (set_id, position)
);

create index instruction_examples_task_idx on instruction_examples (set_id, split, task, position);
