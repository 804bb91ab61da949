-- Catalogs after the data protocol (method §1). Within a dataset, categories, items and users carry a
-- dense index (idx, 0..n-1) in the order every component reads them; interactions refer to users and
-- items by (dataset_id, idx), so an import can COPY all rows without looking up generated keys.
create table datasets (
    id                       bigserial   primary key,
    name                     text        not null unique,
    format                   text        not null,
    source                   text        not null,
    min_count                integer     not null check (min_count >= 3),
    user_count               integer     not null,
    item_count               integer     not null,
    interaction_count        bigint      not null,
    category_count           integer     not null,
    -- rows read from the source, before the k-core filter
    source_interaction_count bigint      not null,
    created_at               timestamptz not null default now()
);

create table categories (
    dataset_id bigint  not null references datasets (id) on delete cascade,
    idx        integer not null,
    name       text    not null,
    primary key (dataset_id, idx),
    unique (dataset_id, name)
);

create table items (
    id          bigserial primary key,
    dataset_id  bigint    not null references datasets (id) on delete cascade,
    idx         integer   not null,
    external_id text      not null,
    title       text      not null,
    -- the idx values of the item's categories in this dataset (the snapshot reads them as they are)
    categories  integer[] not null default '{}',
    unique (dataset_id, idx),
    unique (dataset_id, external_id),
    unique (dataset_id, title)
);

create table users (
    id          bigserial primary key,
    dataset_id  bigint  not null references datasets (id) on delete cascade,
    idx         integer not null,
    external_id text    not null,
    unique (dataset_id, idx),
    unique (dataset_id, external_id)
);

-- One row per interaction kept by the k-core filter; position orders a user's sequence (timestamp,
-- then source row) and split is its leave-one-out part: the last is test, the one before valid.
-- user_idx and item_idx point at users.idx and items.idx of the same dataset. They are written in the
-- same transaction as those rows, from the same in-memory catalog; per-row foreign keys on them
-- tripled the time of a bulk import, so they are left out.
create table interactions (
    dataset_id       bigint  not null references datasets (id) on delete cascade,
    user_idx         integer not null,
    position         integer not null,
    item_idx         integer not null,
    -- as in the source (MovieLens: seconds since the epoch)
    source_timestamp bigint  not null,
    rating           real,
    split            text    not null check (split in ('train', 'valid', 'test')),
    primary key (dataset_id, user_idx, position)
);
