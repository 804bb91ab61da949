-- Evaluations of a model on a dataset's test tasks (method §6): one row per run (which model, how it
-- decoded, on how many users, for which job), one result row per test task with its averaged metrics.
-- A run is stored in one transaction once every task is measured; listings show the newest run of each
-- (model, decoding).
create table evaluations (
    id         bigserial   primary key,
    dataset_id bigint      not null references datasets (id) on delete cascade,
    -- the dataset's name, so that listings need no join
    dataset    text        not null,
    -- 'teacher', or the registry id of the model as text
    model_ref  text        not null,
    model_id   bigint      references models (id) on delete cascade,
    model_kind text        not null check (model_kind in ('TEACHER', 'BASE', 'SFT', 'RL')),
    -- the teacher that answered (model_ref 'teacher') or chose the LP category
    teacher_id bigint      references teachers (id) on delete set null,
    decoding   text        not null check (decoding in ('top-k', 'free', 'guided')),
    user_count integer     not null check (user_count > 0),
    -- the requested sample size, seed and batch size, and the run's duration
    settings   jsonb       not null default '{}'::jsonb,
    job_id     bigint      references jobs (id) on delete set null,
    created_at timestamptz not null default now(),
    check ((model_ref = 'teacher') = (model_id is null)),
    check ((model_ref = 'teacher') = (model_kind = 'TEACHER'))
);

create index evaluations_dataset_idx on evaluations (dataset_id, id);

create table evaluation_results (
    evaluation_id bigint  not null references evaluations (id) on delete cascade,
    -- the task code (seqrec, control-in, control-out, rate-lp, rate-mp, rate-ep, item-count)
    task          text    not null,
    -- lists judged: the users for whom the task applies
    list_count    integer not null check (list_count > 0),
    -- metric name -> average over the lists (recall, ndcg, nonExistRate, ...)
    metrics       jsonb   not null,
    -- the position of the task in the results table
    position      integer not null,
    primary key (evaluation_id, task)
);
