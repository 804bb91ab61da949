-- A cancel request for a running job: the process running it (this one, another replica, or a
-- foreground command) reads the flag at its next check and stops the job.
alter table jobs add column cancel_requested boolean not null default false;

-- The worker claims the oldest queued job of the types it knows.
create index jobs_queued_idx on jobs (id) where status = 'QUEUED';
