-- The first snapshot of a checkpoint is taken once: the row is claimed by setting frozen_at in
-- the same transaction that writes the snapshot, so concurrent requests cannot both take it.
-- Keep in step with migrations/postgres/0005_checkpoint_frozen.sql.
ALTER TABLE checkpoints ADD COLUMN frozen_at TEXT;
UPDATE checkpoints SET frozen_at = (SELECT MIN(computed_at) FROM checkpoint_snapshots
                                    WHERE checkpoint_id = checkpoints.id);
