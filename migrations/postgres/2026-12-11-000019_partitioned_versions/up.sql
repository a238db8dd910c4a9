-- The version tables partitioned by month of receipt (received_at, UTC months), PostgreSQL only
-- (docs/scale-out.md, "Partitions"). Each table is rebuilt: a partitioned twin gets one partition per month from
-- the first stored version's month to two months ahead, plus a DEFAULT partition that takes whatever a month
-- without a partition receives (so an insert never fails); every row is copied in seq order; the twin takes the
-- table's name, sequence and indexes. The key becomes (seq, received_at), as a partitioned table's key must hold
-- the partition column; seq alone stays unique, being drawn from the one sequence.
--
-- dualprev_cover_partitions creates the monthly partitions of one table for a range of months, moving any row the
-- DEFAULT partition holds for such a month into it. The platform calls it at every start (two months ahead) and
-- before bulk loads (storage::partitions).
CREATE FUNCTION dualprev_cover_partitions(parent TEXT, base TEXT, first_at TIMESTAMP, last_at TIMESTAMP)
RETURNS INTEGER LANGUAGE plpgsql AS $$
DECLARE
    m TIMESTAMP := date_trunc('month', first_at);
    next_m TIMESTAMP;
    part TEXT;
    dflt TEXT := base || '_default';
    moved BOOLEAN;
    created INTEGER := 0;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('dualprev_cover_partitions'));
    IF to_regclass(dflt) IS NULL THEN
        EXECUTE format('CREATE TABLE %I PARTITION OF %I DEFAULT', dflt, parent);
    END IF;
    WHILE m <= last_at LOOP
        next_m := m + INTERVAL '1 month';
        part := base || '_' || to_char(m, 'YYYY_MM');
        IF to_regclass(part) IS NULL THEN
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE received_at >= %L AND received_at < %L)',
                dflt, m, next_m) INTO moved;
            IF moved THEN
                EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS)', part, parent);
                EXECUTE format('WITH gone AS (DELETE FROM %I WHERE received_at >= %L AND received_at < %L RETURNING *) '
                    'INSERT INTO %I SELECT * FROM gone', dflt, m, next_m, part);
                EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                    parent, part, m, next_m);
            ELSE
                EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                    part, parent, m, next_m);
            END IF;
            created := created + 1;
        END IF;
        m := next_m;
    END LOOP;
    RETURN created;
END;
$$;

-- check_record_versions
CREATE TABLE check_record_versions_rebuilt (LIKE check_record_versions INCLUDING DEFAULTS) PARTITION BY RANGE (received_at);
SELECT dualprev_cover_partitions('check_record_versions_rebuilt', 'check_record_versions', COALESCE((SELECT min(received_at) FROM check_record_versions), now() AT TIME ZONE 'UTC'), (now() AT TIME ZONE 'UTC') + INTERVAL '2 months');
INSERT INTO check_record_versions_rebuilt (seq, company_code, record_id, batch_id, received_at, deleted, create_date, create_by, update_date, update_by, credit_code, extra, check_task_id, check_time, check_status, mobile_me, is_defend)
    SELECT seq, company_code, record_id, batch_id, received_at, deleted, create_date, create_by, update_date, update_by, credit_code, extra, check_task_id, check_time, check_status, mobile_me, is_defend
    FROM check_record_versions ORDER BY seq;
ALTER SEQUENCE check_record_versions_seq_seq OWNED BY check_record_versions_rebuilt.seq;
DROP TABLE check_record_versions;
ALTER TABLE check_record_versions_rebuilt RENAME TO check_record_versions;
ALTER TABLE check_record_versions ADD PRIMARY KEY (seq, received_at);
CREATE INDEX check_record_versions_record ON check_record_versions (company_code, record_id, update_date);
CREATE INDEX check_record_versions_parent ON check_record_versions (company_code, check_task_id);
CREATE INDEX check_record_versions_company_seq ON check_record_versions (company_code, seq);

-- check_task_versions
CREATE TABLE check_task_versions_rebuilt (LIKE check_task_versions INCLUDING DEFAULTS) PARTITION BY RANGE (received_at);
SELECT dualprev_cover_partitions('check_task_versions_rebuilt', 'check_task_versions', COALESCE((SELECT min(received_at) FROM check_task_versions), now() AT TIME ZONE 'UTC'), (now() AT TIME ZONE 'UTC') + INTERVAL '2 months');
INSERT INTO check_task_versions_rebuilt (seq, company_code, record_id, batch_id, received_at, deleted, create_date, create_by, update_date, update_by, credit_code, extra, risk_measure_id, troubleshoot_content, check_cycle_hundredths, check_cycle_unit, task_start_time, work_start_secs, work_end_secs, work_day_type, work_type, task_num)
    SELECT seq, company_code, record_id, batch_id, received_at, deleted, create_date, create_by, update_date, update_by, credit_code, extra, risk_measure_id, troubleshoot_content, check_cycle_hundredths, check_cycle_unit, task_start_time, work_start_secs, work_end_secs, work_day_type, work_type, task_num
    FROM check_task_versions ORDER BY seq;
ALTER SEQUENCE check_task_versions_seq_seq OWNED BY check_task_versions_rebuilt.seq;
DROP TABLE check_task_versions;
ALTER TABLE check_task_versions_rebuilt RENAME TO check_task_versions;
ALTER TABLE check_task_versions ADD PRIMARY KEY (seq, received_at);
CREATE INDEX check_task_versions_record ON check_task_versions (company_code, record_id, update_date);
CREATE INDEX check_task_versions_parent ON check_task_versions (company_code, risk_measure_id);

-- control_measure_versions
CREATE TABLE control_measure_versions_rebuilt (LIKE control_measure_versions INCLUDING DEFAULTS) PARTITION BY RANGE (received_at);
SELECT dualprev_cover_partitions('control_measure_versions_rebuilt', 'control_measure_versions', COALESCE((SELECT min(received_at) FROM control_measure_versions), now() AT TIME ZONE 'UTC'), (now() AT TIME ZONE 'UTC') + INTERVAL '2 months');
INSERT INTO control_measure_versions_rebuilt (seq, company_code, record_id, batch_id, received_at, deleted, create_date, create_by, update_date, update_by, credit_code, extra, risk_event_id, data_src, risk_measure_desc, classify1, classify2, classify3, troubleshoot_content)
    SELECT seq, company_code, record_id, batch_id, received_at, deleted, create_date, create_by, update_date, update_by, credit_code, extra, risk_event_id, data_src, risk_measure_desc, classify1, classify2, classify3, troubleshoot_content
    FROM control_measure_versions ORDER BY seq;
ALTER SEQUENCE control_measure_versions_seq_seq OWNED BY control_measure_versions_rebuilt.seq;
DROP TABLE control_measure_versions;
ALTER TABLE control_measure_versions_rebuilt RENAME TO control_measure_versions;
ALTER TABLE control_measure_versions ADD PRIMARY KEY (seq, received_at);
CREATE INDEX control_measure_versions_record ON control_measure_versions (company_code, record_id, update_date);
CREATE INDEX control_measure_versions_parent ON control_measure_versions (company_code, risk_event_id);

-- danger_versions
CREATE TABLE danger_versions_rebuilt (LIKE danger_versions INCLUDING DEFAULTS) PARTITION BY RANGE (received_at);
SELECT dualprev_cover_partitions('danger_versions_rebuilt', 'danger_versions', COALESCE((SELECT min(received_at) FROM danger_versions), now() AT TIME ZONE 'UTC'), (now() AT TIME ZONE 'UTC') + INTERVAL '2 months');
INSERT INTO danger_versions_rebuilt (seq, company_code, record_id, batch_id, received_at, deleted, create_date, create_by, update_date, update_by, credit_code, extra, hazard_code, danger_name, danger_level, regist_time, registrant, danger_src, danger_manage_type, hazard_danger_type, danger_desc, liable_person, danger_state, manage_deadline, manage_deadline_is_date, hazard_category, risk_measure_id, check_record_id, danger_reason, control_measures, cost, check_accept_person, check_accept_time, check_accept_comment)
    SELECT seq, company_code, record_id, batch_id, received_at, deleted, create_date, create_by, update_date, update_by, credit_code, extra, hazard_code, danger_name, danger_level, regist_time, registrant, danger_src, danger_manage_type, hazard_danger_type, danger_desc, liable_person, danger_state, manage_deadline, manage_deadline_is_date, hazard_category, risk_measure_id, check_record_id, danger_reason, control_measures, cost, check_accept_person, check_accept_time, check_accept_comment
    FROM danger_versions ORDER BY seq;
ALTER SEQUENCE danger_versions_seq_seq OWNED BY danger_versions_rebuilt.seq;
DROP TABLE danger_versions;
ALTER TABLE danger_versions_rebuilt RENAME TO danger_versions;
ALTER TABLE danger_versions ADD PRIMARY KEY (seq, received_at);
CREATE INDEX danger_versions_record ON danger_versions (company_code, record_id, update_date);
CREATE INDEX danger_versions_parent ON danger_versions (company_code, hazard_code);

-- hazard_source_versions
CREATE TABLE hazard_source_versions_rebuilt (LIKE hazard_source_versions INCLUDING DEFAULTS) PARTITION BY RANGE (received_at);
SELECT dualprev_cover_partitions('hazard_source_versions_rebuilt', 'hazard_source_versions', COALESCE((SELECT min(received_at) FROM hazard_source_versions), now() AT TIME ZONE 'UTC'), (now() AT TIME ZONE 'UTC') + INTERVAL '2 months');
INSERT INTO hazard_source_versions_rebuilt (seq, company_code, record_id, batch_id, received_at, deleted, create_date, create_by, update_date, update_by, credit_code, extra, hazard_code, hazard_name, hazard_level, responsible_person, technical_person, operation_person)
    SELECT seq, company_code, record_id, batch_id, received_at, deleted, create_date, create_by, update_date, update_by, credit_code, extra, hazard_code, hazard_name, hazard_level, responsible_person, technical_person, operation_person
    FROM hazard_source_versions ORDER BY seq;
ALTER SEQUENCE hazard_source_versions_seq_seq OWNED BY hazard_source_versions_rebuilt.seq;
DROP TABLE hazard_source_versions;
ALTER TABLE hazard_source_versions_rebuilt RENAME TO hazard_source_versions;
ALTER TABLE hazard_source_versions ADD PRIMARY KEY (seq, received_at);
CREATE INDEX hazard_source_versions_record ON hazard_source_versions (company_code, record_id, update_date);
CREATE INDEX hazard_source_versions_parent ON hazard_source_versions (company_code, hazard_code);

-- risk_event_versions
CREATE TABLE risk_event_versions_rebuilt (LIKE risk_event_versions INCLUDING DEFAULTS) PARTITION BY RANGE (received_at);
SELECT dualprev_cover_partitions('risk_event_versions_rebuilt', 'risk_event_versions', COALESCE((SELECT min(received_at) FROM risk_event_versions), now() AT TIME ZONE 'UTC'), (now() AT TIME ZONE 'UTC') + INTERVAL '2 months');
INSERT INTO risk_event_versions_rebuilt (seq, company_code, record_id, batch_id, received_at, deleted, create_date, create_by, update_date, update_by, credit_code, extra, risk_unit_id, risk_event_name, risk_description)
    SELECT seq, company_code, record_id, batch_id, received_at, deleted, create_date, create_by, update_date, update_by, credit_code, extra, risk_unit_id, risk_event_name, risk_description
    FROM risk_event_versions ORDER BY seq;
ALTER SEQUENCE risk_event_versions_seq_seq OWNED BY risk_event_versions_rebuilt.seq;
DROP TABLE risk_event_versions;
ALTER TABLE risk_event_versions_rebuilt RENAME TO risk_event_versions;
ALTER TABLE risk_event_versions ADD PRIMARY KEY (seq, received_at);
CREATE INDEX risk_event_versions_record ON risk_event_versions (company_code, record_id, update_date);
CREATE INDEX risk_event_versions_parent ON risk_event_versions (company_code, risk_unit_id);

-- risk_unit_versions
CREATE TABLE risk_unit_versions_rebuilt (LIKE risk_unit_versions INCLUDING DEFAULTS) PARTITION BY RANGE (received_at);
SELECT dualprev_cover_partitions('risk_unit_versions_rebuilt', 'risk_unit_versions', COALESCE((SELECT min(received_at) FROM risk_unit_versions), now() AT TIME ZONE 'UTC'), (now() AT TIME ZONE 'UTC') + INTERVAL '2 months');
INSERT INTO risk_unit_versions_rebuilt (seq, company_code, record_id, batch_id, received_at, deleted, create_date, create_by, update_date, update_by, credit_code, extra, hazard_code, hazard_dep, hazard_liable_person, risk_unit_name, risk_class)
    SELECT seq, company_code, record_id, batch_id, received_at, deleted, create_date, create_by, update_date, update_by, credit_code, extra, hazard_code, hazard_dep, hazard_liable_person, risk_unit_name, risk_class
    FROM risk_unit_versions ORDER BY seq;
ALTER SEQUENCE risk_unit_versions_seq_seq OWNED BY risk_unit_versions_rebuilt.seq;
DROP TABLE risk_unit_versions;
ALTER TABLE risk_unit_versions_rebuilt RENAME TO risk_unit_versions;
ALTER TABLE risk_unit_versions ADD PRIMARY KEY (seq, received_at);
CREATE INDEX risk_unit_versions_record ON risk_unit_versions (company_code, record_id, update_date);
CREATE INDEX risk_unit_versions_parent ON risk_unit_versions (company_code, hazard_code);

-- unit_stop_versions
CREATE TABLE unit_stop_versions_rebuilt (LIKE unit_stop_versions INCLUDING DEFAULTS) PARTITION BY RANGE (received_at);
SELECT dualprev_cover_partitions('unit_stop_versions_rebuilt', 'unit_stop_versions', COALESCE((SELECT min(received_at) FROM unit_stop_versions), now() AT TIME ZONE 'UTC'), (now() AT TIME ZONE 'UTC') + INTERVAL '2 months');
INSERT INTO unit_stop_versions_rebuilt (seq, company_code, record_id, batch_id, received_at, deleted, create_date, create_by, update_date, update_by, credit_code, extra, risk_unit_id, stop_start_time, stop_end_time, stop_reason)
    SELECT seq, company_code, record_id, batch_id, received_at, deleted, create_date, create_by, update_date, update_by, credit_code, extra, risk_unit_id, stop_start_time, stop_end_time, stop_reason
    FROM unit_stop_versions ORDER BY seq;
ALTER SEQUENCE unit_stop_versions_seq_seq OWNED BY unit_stop_versions_rebuilt.seq;
DROP TABLE unit_stop_versions;
ALTER TABLE unit_stop_versions_rebuilt RENAME TO unit_stop_versions;
ALTER TABLE unit_stop_versions ADD PRIMARY KEY (seq, received_at);
CREATE INDEX unit_stop_versions_record ON unit_stop_versions (company_code, record_id, update_date);
CREATE INDEX unit_stop_versions_parent ON unit_stop_versions (company_code, risk_unit_id);
-- Checkpoints are read whole at every start (300 MB at a province-year): stored uncompressed, as PostgreSQL's
-- default compression (pglz) took 1.22 s of a start to inflate them, against 0.35 s to read them plain
-- (docs/performance.md). Applies to checkpoints written from now on.
ALTER TABLE figure_checkpoints ALTER COLUMN body SET STORAGE EXTERNAL;
