-- The score distribution of a ЕГЭ cell read from student-level results, so that a rule with other
-- minimum scores ([ege_min_score]) recounts the cell's failures from stored data. Compact text:
-- distinct scores ascending, each with its pupils, `24:3 26.5:1 80:12`. NULL for every other cell
-- and for ЕГЭ cells of aggregated files (they give only the count of failures).
-- Keep in step with migrations/sqlite/0006_ege_scores.sql.
ALTER TABLE result_cells
    ADD COLUMN ege_scores TEXT,
    ADD CONSTRAINT result_cells_ege_scores_only_ege CHECK (ege_scores IS NULL OR procedure = 'EGE');
