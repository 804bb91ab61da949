-- Long-running work (teacher training, SFT, RL, evaluation) queued and tracked by the service.
create table jobs (
    id          bigserial primary key,
    type        text        not null,
    status      text        not null check (status in ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    dataset     text,
    params      jsonb       not null default '{}'::jsonb,
    progress    jsonb       not null default '{}'::jsonb,
    error       text,
    created_at  timestamptz not null default now(),
    started_at  timestamptz,
    finished_at timestamptz
);

create index jobs_status_idx on jobs (status);
