-- Unchanged export files are recognised without re-hashing their bytes (issue 14): a file whose path, size and
-- modification time match a file already ingested has the sha256 recorded for it. Null for files ingested before
-- this column existed (they are hashed once more, then recorded).
alter table ingest_file add column modified_ns bigint;
