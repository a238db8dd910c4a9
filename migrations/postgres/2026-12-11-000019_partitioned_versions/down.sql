-- Development only (upgrades are forward-only): the version tables back to plain tables keyed by seq.
CREATE TABLE check_record_versions_plain (LIKE check_record_versions INCLUDING DEFAULTS);
INSERT INTO check_record_versions_plain (seq, company_code, record_id, batch_id, received_at, deleted, create_date, create_by, update_date, update_by, credit_code, extra, check_task_id, check_time, check_status, mobile_me, is_defend) SELECT seq, company_code, record_id, batch_id, received_at, deleted, create_date, create_by, update_date, update_by, credit_code, extra, check_task_id, check_time, check_status, mobile_me, is_defend FROM check_record_versions ORDER BY seq;
ALTER SEQUENCE check_record_versions_seq_seq OWNED BY check_record_versions_plain.seq;
DROP TABLE check_record_versions;
ALTER TABLE check_record_versions_plain RENAME TO check_record_versions;
ALTER TABLE check_record_versions ADD PRIMARY KEY (seq);
CREATE INDEX check_record_versions_record ON check_record_versions (company_code, record_id, update_date);
CREATE INDEX check_record_versions_parent ON check_record_versions (company_code, check_task_id);
CREATE INDEX check_record_versions_company_seq ON check_record_versions (company_code, seq);

CREATE TABLE check_task_versions_plain (LIKE check_task_versions INCLUDING DEFAULTS);
INSERT INTO check_task_versions_plain (seq, company_code, record_id, batch_id, received_at, deleted, create_date, create_by, update_date, update_by, credit_code, extra, risk_measure_id, troubleshoot_content, check_cycle_hundredths, check_cycle_unit, task_start_time, work_start_secs, work_end_secs, work_day_type, work_type, task_num) SELECT seq, company_code, record_id, batch_id, received_at, deleted, create_date, create_by, update_date, update_by, credit_code, extra, risk_measure_id, troubleshoot_content, check_cycle_hundredths, check_cycle_unit, task_start_time, work_start_secs, work_end_secs, work_day_type, work_type, task_num FROM check_task_versions ORDER BY seq;
ALTER SEQUENCE check_task_versions_seq_seq OWNED BY check_task_versions_plain.seq;
DROP TABLE check_task_versions;
ALTER TABLE check_task_versions_plain RENAME TO check_task_versions;
ALTER TABLE check_task_versions ADD PRIMARY KEY (seq);
CREATE INDEX check_task_versions_record ON check_task_versions (company_code, record_id, update_date);
CREATE INDEX check_task_versions_parent ON check_task_versions (company_code, risk_measure_id);

CREATE TABLE control_measure_versions_plain (LIKE control_measure_versions INCLUDING DEFAULTS);
INSERT INTO control_measure_versions_plain (seq, company_code, record_id, batch_id, received_at, deleted, create_date, create_by, update_date, update_by, credit_code, extra, risk_event_id, data_src, risk_measure_desc, classify1, classify2, classify3, troubleshoot_content) SELECT seq, company_code, record_id, batch_id, received_at, deleted, create_date, create_by, update_date, update_by, credit_code, extra, risk_event_id, data_src, risk_measure_desc, classify1, classify2, classify3, troubleshoot_content FROM control_measure_versions ORDER BY seq;
ALTER SEQUENCE control_measure_versions_seq_seq OWNED BY control_measure_versions_plain.seq;
DROP TABLE control_measure_versions;
ALTER TABLE control_measure_versions_plain RENAME TO control_measure_versions;
ALTER TABLE control_measure_versions ADD PRIMARY KEY (seq);
CREATE INDEX control_measure_versions_record ON control_measure_versions (company_code, record_id, update_date);
CREATE INDEX control_measure_versions_parent ON control_measure_versions (company_code, risk_event_id);

CREATE TABLE danger_versions_plain (LIKE danger_versions INCLUDING DEFAULTS);
INSERT INTO danger_versions_plain (seq, company_code, record_id, batch_id, received_at, deleted, create_date, create_by, update_date, update_by, credit_code, extra, hazard_code, danger_name, danger_level, regist_time, registrant, danger_src, danger_manage_type, hazard_danger_type, danger_desc, liable_person, danger_state, manage_deadline, manage_deadline_is_date, hazard_category, risk_measure_id, check_record_id, danger_reason, control_measures, cost, check_accept_person, check_accept_time, check_accept_comment) SELECT seq, company_code, record_id, batch_id, received_at, deleted, create_date, create_by, update_date, update_by, credit_code, extra, hazard_code, danger_name, danger_level, regist_time, registrant, danger_src, danger_manage_type, hazard_danger_type, danger_desc, liable_person, danger_state, manage_deadline, manage_deadline_is_date, hazard_category, risk_measure_id, check_record_id, danger_reason, control_measures, cost, check_accept_person, check_accept_time, check_accept_comment FROM danger_versions ORDER BY seq;
ALTER SEQUENCE danger_versions_seq_seq OWNED BY danger_versions_plain.seq;
DROP TABLE danger_versions;
ALTER TABLE danger_versions_plain RENAME TO danger_versions;
ALTER TABLE danger_versions ADD PRIMARY KEY (seq);
CREATE INDEX danger_versions_record ON danger_versions (company_code, record_id, update_date);
CREATE INDEX danger_versions_parent ON danger_versions (company_code, hazard_code);

CREATE TABLE hazard_source_versions_plain (LIKE hazard_source_versions INCLUDING DEFAULTS);
INSERT INTO hazard_source_versions_plain (seq, company_code, record_id, batch_id, received_at, deleted, create_date, create_by, update_date, update_by, credit_code, extra, hazard_code, hazard_name, hazard_level, responsible_person, technical_person, operation_person) SELECT seq, company_code, record_id, batch_id, received_at, deleted, create_date, create_by, update_date, update_by, credit_code, extra, hazard_code, hazard_name, hazard_level, responsible_person, technical_person, operation_person FROM hazard_source_versions ORDER BY seq;
ALTER SEQUENCE hazard_source_versions_seq_seq OWNED BY hazard_source_versions_plain.seq;
DROP TABLE hazard_source_versions;
ALTER TABLE hazard_source_versions_plain RENAME TO hazard_source_versions;
ALTER TABLE hazard_source_versions ADD PRIMARY KEY (seq);
CREATE INDEX hazard_source_versions_record ON hazard_source_versions (company_code, record_id, update_date);
CREATE INDEX hazard_source_versions_parent ON hazard_source_versions (company_code, hazard_code);

CREATE TABLE risk_event_versions_plain (LIKE risk_event_versions INCLUDING DEFAULTS);
INSERT INTO risk_event_versions_plain (seq, company_code, record_id, batch_id, received_at, deleted, create_date, create_by, update_date, update_by, credit_code, extra, risk_unit_id, risk_event_name, risk_description) SELECT seq, company_code, record_id, batch_id, received_at, deleted, create_date, create_by, update_date, update_by, credit_code, extra, risk_unit_id, risk_event_name, risk_description FROM risk_event_versions ORDER BY seq;
ALTER SEQUENCE risk_event_versions_seq_seq OWNED BY risk_event_versions_plain.seq;
DROP TABLE risk_event_versions;
ALTER TABLE risk_event_versions_plain RENAME TO risk_event_versions;
ALTER TABLE risk_event_versions ADD PRIMARY KEY (seq);
CREATE INDEX risk_event_versions_record ON risk_event_versions (company_code, record_id, update_date);
CREATE INDEX risk_event_versions_parent ON risk_event_versions (company_code, risk_unit_id);

CREATE TABLE risk_unit_versions_plain (LIKE risk_unit_versions INCLUDING DEFAULTS);
INSERT INTO risk_unit_versions_plain (seq, company_code, record_id, batch_id, received_at, deleted, create_date, create_by, update_date, update_by, credit_code, extra, hazard_code, hazard_dep, hazard_liable_person, risk_unit_name, risk_class) SELECT seq, company_code, record_id, batch_id, received_at, deleted, create_date, create_by, update_date, update_by, credit_code, extra, hazard_code, hazard_dep, hazard_liable_person, risk_unit_name, risk_class FROM risk_unit_versions ORDER BY seq;
ALTER SEQUENCE risk_unit_versions_seq_seq OWNED BY risk_unit_versions_plain.seq;
DROP TABLE risk_unit_versions;
ALTER TABLE risk_unit_versions_plain RENAME TO risk_unit_versions;
ALTER TABLE risk_unit_versions ADD PRIMARY KEY (seq);
CREATE INDEX risk_unit_versions_record ON risk_unit_versions (company_code, record_id, update_date);
CREATE INDEX risk_unit_versions_parent ON risk_unit_versions (company_code, hazard_code);

CREATE TABLE unit_stop_versions_plain (LIKE unit_stop_versions INCLUDING DEFAULTS);
INSERT INTO unit_stop_versions_plain (seq, company_code, record_id, batch_id, received_at, deleted, create_date, create_by, update_date, update_by, credit_code, extra, risk_unit_id, stop_start_time, stop_end_time, stop_reason) SELECT seq, company_code, record_id, batch_id, received_at, deleted, create_date, create_by, update_date, update_by, credit_code, extra, risk_unit_id, stop_start_time, stop_end_time, stop_reason FROM unit_stop_versions ORDER BY seq;
ALTER SEQUENCE unit_stop_versions_seq_seq OWNED BY unit_stop_versions_plain.seq;
DROP TABLE unit_stop_versions;
ALTER TABLE unit_stop_versions_plain RENAME TO unit_stop_versions;
ALTER TABLE unit_stop_versions ADD PRIMARY KEY (seq);
CREATE INDEX unit_stop_versions_record ON unit_stop_versions (company_code, record_id, update_date);
CREATE INDEX unit_stop_versions_parent ON unit_stop_versions (company_code, risk_unit_id);

ALTER TABLE figure_checkpoints ALTER COLUMN body SET STORAGE EXTENDED;
DROP FUNCTION dualprev_cover_partitions(TEXT, TEXT, TIMESTAMP, TIMESTAMP);
