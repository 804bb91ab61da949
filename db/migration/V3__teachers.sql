-- Trained SASRec teachers (method §2). A row is written only once training has succeeded, with its
-- weights, and becomes its dataset's active teacher in the same transaction that retires the previous
-- one: the active teacher is always complete. Retired teachers stay for comparison and evaluation.
create table teachers (
    id         bigserial   primary key,
    dataset_id bigint      not null references datasets (id) on delete cascade,
    -- the dataset's name, so that listings need no join
    dataset    text        not null,
    status     text        not null check (status in ('READY', 'RETIRED')),
    -- SasRecConfig plus the training options it was trained with
    config     jsonb       not null,
    -- best epoch, epochs run, timings, validation and test metrics
    metrics    jsonb       not null,
    -- all weights in safetensors format (F32)
    weights    bytea       not null,
    active     boolean     not null default false,
    -- the job that trained it (kept when the job row goes)
    job_id     bigint      references jobs (id) on delete set null,
    created_at timestamptz not null default now(),
    check (not active or status = 'READY')
);

create unique index teachers_one_active_idx on teachers (dataset_id) where active;
create index teachers_dataset_idx on teachers (dataset_id, id);
