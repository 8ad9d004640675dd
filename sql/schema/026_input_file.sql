-- input_file: the inventory and transactions files of each stage's last loads, so a second night need not read
-- them again (issue 14). grain: stage × source_file. A stage whose files all match the rows of its latest load
-- (path, size, mtime, and the loader's own code: `loader`) is not re-read: re-loading them would give the same rows.
create table input_file (
  stage         varchar not null,               -- inventory | transactions
  source_file   varchar not null,
  byte_count    bigint not null,
  modified_ns   bigint not null,                -- mtime in ns, taken before the bytes were read
  record_count  bigint not null,                -- records (inventory) or rows (transactions) the file held
  load_seq      bigint not null,                -- which load of the stage read it (1, 2, …)
  loader        varchar not null,               -- digest of the code that read it (src/inventory, sql/inventory)
  primary key (stage, source_file)
);
