-- A running import is worked by one process at a time: the one holding its lease, renewed with
-- every batch (in the batch's transaction). A process that dies or stops leaves the lease to
-- run out, and another process (or this one after a restart) takes the import over and goes on
-- after the last batch stored.
ALTER TABLE imports ADD COLUMN claimed_by TEXT;
ALTER TABLE imports ADD COLUMN lease_until BIGINT;
