-- The model registry: every language model the service trained or was given, stored as a Hugging
-- Face directory under <recalign.home>/models/<id>/. A row is TRAINING until its directory is complete
-- (written to a temporary folder, then renamed) and its sha256 recorded; only READY models load.
create table models (
    id                 bigserial   primary key,
    kind               text        not null check (kind in ('BASE', 'SFT', 'RL')),
    parent_id          bigint      references models (id),
    dataset            text        references datasets (name) on delete cascade,
    instruction_set_id bigint      references instruction_sets (id) on delete set null,
    -- the model's directory relative to recalign.home, set when READY
    path               text,
    -- sha256 over the directory's files (see ModelStore), set when READY
    sha256             text,
    status             text        not null check (status in ('TRAINING', 'READY', 'FAILED', 'CANCELLED')),
    active             boolean     not null default false,
    config             jsonb       not null default '{}'::jsonb,
    metrics            jsonb       not null default '{}'::jsonb,
    job_id             bigint      references jobs (id) on delete set null,
    created_at         timestamptz not null default now(),
    finished_at        timestamptz,
    check (status <> 'READY' or (path is not null and sha256 is not null)),
    check (not active or (status = 'READY' and dataset is not null))
);

-- At most one active (served) model per dataset.
create unique index models_active_per_dataset_idx on models (dataset) where active;
create index models_dataset_idx on models (dataset, id);
