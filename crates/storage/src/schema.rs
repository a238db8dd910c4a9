// @generated from the migrated SQLite schema by `DUALPREV_BLESS=1 cargo test -p storage --test it schema`.
// Do not edit: change the migrations, then regenerate.

diesel::table! {
    /// The `acceptances` table.
    acceptances (id) {
        /// `acceptances.id`.
        id -> BigInt,
        /// `acceptances.company_code`.
        company_code -> Text,
        /// `acceptances.city_code`.
        city_code -> Text,
        /// `acceptances.accepted_on`.
        accepted_on -> Text,
        /// `acceptances.experts`.
        experts -> Text,
        /// `acceptances.grade`.
        grade -> Text,
        /// `acceptances.findings`.
        findings -> Text,
        /// `acceptances.rectify_by`.
        rectify_by -> Nullable<Text>,
        /// `acceptances.recheck_on`.
        recheck_on -> Nullable<Text>,
        /// `acceptances.recheck_grade`.
        recheck_grade -> Nullable<Text>,
        /// `acceptances.recorded_by`.
        recorded_by -> Text,
        /// `acceptances.recorded_at`.
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    /// The `accounts` table.
    accounts (username) {
        /// `accounts.username`.
        username -> Text,
        /// `accounts.display_name`.
        display_name -> Text,
        /// `accounts.role`.
        role -> Text,
        /// `accounts.city_code`.
        city_code -> Nullable<Text>,
        /// `accounts.company_code`.
        company_code -> Nullable<Text>,
        /// `accounts.email`.
        email -> Nullable<Text>,
        /// `accounts.state`.
        state -> Text,
        /// `accounts.password_hash`.
        password_hash -> Text,
        /// `accounts.password_changed_at`.
        password_changed_at -> Timestamp,
        /// `accounts.must_change_password`.
        must_change_password -> Bool,
        /// `accounts.failed_attempts`.
        failed_attempts -> Integer,
        /// `accounts.locked_until`.
        locked_until -> Nullable<Timestamp>,
        /// `accounts.last_sign_in`.
        last_sign_in -> Nullable<Timestamp>,
        /// `accounts.created_at`.
        created_at -> Timestamp,
        /// `accounts.updated_at`.
        updated_at -> Timestamp,
        /// `accounts.notify_email`.
        notify_email -> Bool,
        /// `accounts.digest_at`.
        digest_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// The `attachment_uses` table.
    attachment_uses (sha256, case_id) {
        /// `attachment_uses.sha256`.
        sha256 -> Text,
        /// `attachment_uses.case_id`.
        case_id -> BigInt,
    }
}

diesel::table! {
    /// The `attachments` table.
    attachments (sha256) {
        /// `attachments.sha256`.
        sha256 -> Text,
        /// `attachments.content_type`.
        content_type -> Text,
        /// `attachments.size`.
        size -> BigInt,
        /// `attachments.content`.
        content -> Binary,
        /// `attachments.stored_at`.
        stored_at -> Timestamp,
    }
}

diesel::table! {
    /// The `audit_log` table.
    audit_log (seq) {
        /// `audit_log.seq`.
        seq -> BigInt,
        /// `audit_log.at`.
        at -> Timestamp,
        /// `audit_log.actor`.
        actor -> Text,
        /// `audit_log.role`.
        role -> Nullable<Text>,
        /// `audit_log.scope`.
        scope -> Nullable<Text>,
        /// `audit_log.method`.
        method -> Text,
        /// `audit_log.route`.
        route -> Text,
        /// `audit_log.path`.
        path -> Text,
        /// `audit_log.query`.
        query -> Text,
        /// `audit_log.status`.
        status -> Integer,
        /// `audit_log.outcome`.
        outcome -> Text,
        /// `audit_log.detail`.
        detail -> Nullable<Text>,
        /// `audit_log.client`.
        client -> Nullable<Text>,
        /// `audit_log.prev_hash`.
        prev_hash -> Text,
        /// `audit_log.hash`.
        hash -> Text,
    }
}

diesel::table! {
    /// The `batch_errors` table.
    batch_errors (batch_id, ord) {
        /// `batch_errors.batch_id`.
        batch_id -> Text,
        /// `batch_errors.ord`.
        ord -> Integer,
        /// `batch_errors.record_index`.
        record_index -> Integer,
        /// `batch_errors.record_id`.
        record_id -> Nullable<Text>,
        /// `batch_errors.field`.
        field -> Text,
        /// `batch_errors.code`.
        code -> Text,
        /// `batch_errors.message`.
        message -> Text,
    }
}

diesel::table! {
    /// The `batch_rejects` table.
    batch_rejects (batch_id, record_index) {
        /// `batch_rejects.batch_id`.
        batch_id -> Text,
        /// `batch_rejects.record_index`.
        record_index -> Integer,
        /// `batch_rejects.raw`.
        raw -> Text,
    }
}

diesel::table! {
    /// The `batches` table.
    batches (batch_id) {
        /// `batches.batch_id`.
        batch_id -> Text,
        /// `batches.table_name`.
        table_name -> Text,
        /// `batches.company_code`.
        company_code -> Text,
        /// `batches.source`.
        source -> Text,
        /// `batches.actor`.
        actor -> Text,
        /// `batches.received_at`.
        received_at -> Timestamp,
        /// `batches.received`.
        received -> Integer,
        /// `batches.accepted`.
        accepted -> Integer,
        /// `batches.unchanged`.
        unchanged -> Integer,
        /// `batches.pending`.
        pending -> Integer,
        /// `batches.rejected`.
        rejected -> Integer,
    }
}

diesel::table! {
    /// The `check_month_parts` table.
    check_month_parts (company_code, month) {
        /// `check_month_parts.company_code`.
        company_code -> Text,
        /// `check_month_parts.month`.
        month -> Integer,
        /// `check_month_parts.format`.
        format -> Integer,
        /// `check_month_parts.written_at`.
        written_at -> Timestamp,
        /// `check_month_parts.body`.
        body -> Binary,
        /// `check_month_parts.long_body`.
        long_body -> Nullable<Binary>,
        /// `check_month_parts.short_tasks`.
        short_tasks -> Nullable<Text>,
    }
}

diesel::table! {
    /// The `check_record_versions` table.
    check_record_versions (seq) {
        /// `check_record_versions.seq`.
        seq -> BigInt,
        /// `check_record_versions.company_code`.
        company_code -> Text,
        /// `check_record_versions.record_id`.
        record_id -> Text,
        /// `check_record_versions.batch_id`.
        batch_id -> Text,
        /// `check_record_versions.received_at`.
        received_at -> Timestamp,
        /// `check_record_versions.deleted`.
        deleted -> Bool,
        /// `check_record_versions.create_date`.
        create_date -> Timestamp,
        /// `check_record_versions.create_by`.
        create_by -> Text,
        /// `check_record_versions.update_date`.
        update_date -> Timestamp,
        /// `check_record_versions.update_by`.
        update_by -> Text,
        /// `check_record_versions.credit_code`.
        credit_code -> Nullable<Text>,
        /// `check_record_versions.extra`.
        extra -> Nullable<Text>,
        /// `check_record_versions.check_task_id`.
        check_task_id -> Text,
        /// `check_record_versions.check_time`.
        check_time -> Timestamp,
        /// `check_record_versions.check_status`.
        check_status -> Integer,
        /// `check_record_versions.mobile_me`.
        mobile_me -> Nullable<Text>,
        /// `check_record_versions.is_defend`.
        is_defend -> Nullable<Integer>,
    }
}

diesel::table! {
    /// The `check_task_versions` table.
    check_task_versions (seq) {
        /// `check_task_versions.seq`.
        seq -> BigInt,
        /// `check_task_versions.company_code`.
        company_code -> Text,
        /// `check_task_versions.record_id`.
        record_id -> Text,
        /// `check_task_versions.batch_id`.
        batch_id -> Text,
        /// `check_task_versions.received_at`.
        received_at -> Timestamp,
        /// `check_task_versions.deleted`.
        deleted -> Bool,
        /// `check_task_versions.create_date`.
        create_date -> Timestamp,
        /// `check_task_versions.create_by`.
        create_by -> Text,
        /// `check_task_versions.update_date`.
        update_date -> Timestamp,
        /// `check_task_versions.update_by`.
        update_by -> Text,
        /// `check_task_versions.credit_code`.
        credit_code -> Nullable<Text>,
        /// `check_task_versions.extra`.
        extra -> Nullable<Text>,
        /// `check_task_versions.risk_measure_id`.
        risk_measure_id -> Text,
        /// `check_task_versions.troubleshoot_content`.
        troubleshoot_content -> Text,
        /// `check_task_versions.check_cycle_hundredths`.
        check_cycle_hundredths -> BigInt,
        /// `check_task_versions.check_cycle_unit`.
        check_cycle_unit -> Text,
        /// `check_task_versions.task_start_time`.
        task_start_time -> Timestamp,
        /// `check_task_versions.work_start_secs`.
        work_start_secs -> Nullable<Integer>,
        /// `check_task_versions.work_end_secs`.
        work_end_secs -> Nullable<Integer>,
        /// `check_task_versions.work_day_type`.
        work_day_type -> Integer,
        /// `check_task_versions.work_type`.
        work_type -> Integer,
        /// `check_task_versions.task_num`.
        task_num -> Nullable<Integer>,
    }
}

diesel::table! {
    /// The `control_measure_versions` table.
    control_measure_versions (seq) {
        /// `control_measure_versions.seq`.
        seq -> BigInt,
        /// `control_measure_versions.company_code`.
        company_code -> Text,
        /// `control_measure_versions.record_id`.
        record_id -> Text,
        /// `control_measure_versions.batch_id`.
        batch_id -> Text,
        /// `control_measure_versions.received_at`.
        received_at -> Timestamp,
        /// `control_measure_versions.deleted`.
        deleted -> Bool,
        /// `control_measure_versions.create_date`.
        create_date -> Timestamp,
        /// `control_measure_versions.create_by`.
        create_by -> Text,
        /// `control_measure_versions.update_date`.
        update_date -> Timestamp,
        /// `control_measure_versions.update_by`.
        update_by -> Text,
        /// `control_measure_versions.credit_code`.
        credit_code -> Nullable<Text>,
        /// `control_measure_versions.extra`.
        extra -> Nullable<Text>,
        /// `control_measure_versions.risk_event_id`.
        risk_event_id -> Text,
        /// `control_measure_versions.data_src`.
        data_src -> Integer,
        /// `control_measure_versions.risk_measure_desc`.
        risk_measure_desc -> Text,
        /// `control_measure_versions.classify1`.
        classify1 -> Integer,
        /// `control_measure_versions.classify2`.
        classify2 -> Text,
        /// `control_measure_versions.classify3`.
        classify3 -> Nullable<Text>,
        /// `control_measure_versions.troubleshoot_content`.
        troubleshoot_content -> Text,
    }
}

diesel::table! {
    /// The `danger_versions` table.
    danger_versions (seq) {
        /// `danger_versions.seq`.
        seq -> BigInt,
        /// `danger_versions.company_code`.
        company_code -> Text,
        /// `danger_versions.record_id`.
        record_id -> Text,
        /// `danger_versions.batch_id`.
        batch_id -> Text,
        /// `danger_versions.received_at`.
        received_at -> Timestamp,
        /// `danger_versions.deleted`.
        deleted -> Bool,
        /// `danger_versions.create_date`.
        create_date -> Timestamp,
        /// `danger_versions.create_by`.
        create_by -> Text,
        /// `danger_versions.update_date`.
        update_date -> Timestamp,
        /// `danger_versions.update_by`.
        update_by -> Text,
        /// `danger_versions.credit_code`.
        credit_code -> Nullable<Text>,
        /// `danger_versions.extra`.
        extra -> Nullable<Text>,
        /// `danger_versions.hazard_code`.
        hazard_code -> Text,
        /// `danger_versions.danger_name`.
        danger_name -> Text,
        /// `danger_versions.danger_level`.
        danger_level -> Integer,
        /// `danger_versions.regist_time`.
        regist_time -> Timestamp,
        /// `danger_versions.registrant`.
        registrant -> Text,
        /// `danger_versions.danger_src`.
        danger_src -> Integer,
        /// `danger_versions.danger_manage_type`.
        danger_manage_type -> Integer,
        /// `danger_versions.hazard_danger_type`.
        hazard_danger_type -> Integer,
        /// `danger_versions.danger_desc`.
        danger_desc -> Text,
        /// `danger_versions.liable_person`.
        liable_person -> Text,
        /// `danger_versions.danger_state`.
        danger_state -> Integer,
        /// `danger_versions.manage_deadline`.
        manage_deadline -> Nullable<Timestamp>,
        /// `danger_versions.manage_deadline_is_date`.
        manage_deadline_is_date -> Bool,
        /// `danger_versions.hazard_category`.
        hazard_category -> Nullable<Integer>,
        /// `danger_versions.risk_measure_id`.
        risk_measure_id -> Nullable<Text>,
        /// `danger_versions.check_record_id`.
        check_record_id -> Nullable<Text>,
        /// `danger_versions.danger_reason`.
        danger_reason -> Nullable<Text>,
        /// `danger_versions.control_measures`.
        control_measures -> Nullable<Text>,
        /// `danger_versions.cost`.
        cost -> Nullable<Text>,
        /// `danger_versions.check_accept_person`.
        check_accept_person -> Nullable<Text>,
        /// `danger_versions.check_accept_time`.
        check_accept_time -> Nullable<Timestamp>,
        /// `danger_versions.check_accept_comment`.
        check_accept_comment -> Nullable<Text>,
    }
}

diesel::table! {
    /// The `discarded_records` table.
    discarded_records (seq) {
        /// `discarded_records.seq`.
        seq -> BigInt,
        /// `discarded_records.table_name`.
        table_name -> Text,
        /// `discarded_records.company_code`.
        company_code -> Text,
        /// `discarded_records.record_id`.
        record_id -> Text,
        /// `discarded_records.update_date`.
        update_date -> Timestamp,
        /// `discarded_records.content_hash`.
        content_hash -> Text,
        /// `discarded_records.batch_id`.
        batch_id -> Text,
        /// `discarded_records.received_at`.
        received_at -> Timestamp,
        /// `discarded_records.parent_table`.
        parent_table -> Text,
        /// `discarded_records.parent_key`.
        parent_key -> Text,
        /// `discarded_records.payload`.
        payload -> Text,
        /// `discarded_records.discarded_at`.
        discarded_at -> Timestamp,
        /// `discarded_records.discarded_by`.
        discarded_by -> Text,
    }
}

diesel::table! {
    /// The `enterprises` table.
    enterprises (company_code) {
        /// `enterprises.company_code`.
        company_code -> Text,
        /// `enterprises.name`.
        name -> Text,
        /// `enterprises.city_code`.
        city_code -> Text,
        /// `enterprises.batch`.
        batch -> Nullable<Integer>,
        /// `enterprises.flags`.
        flags -> Text,
        /// `enterprises.annex_no`.
        annex_no -> Nullable<Integer>,
        /// `enterprises.credit_code`.
        credit_code -> Nullable<Text>,
        /// `enterprises.base_url`.
        base_url -> Nullable<Text>,
        /// `enterprises.aes_key`.
        aes_key -> Nullable<Text>,
        /// `enterprises.aes_iv`.
        aes_iv -> Nullable<Text>,
        /// `enterprises.basic_password_hash`.
        basic_password_hash -> Nullable<Text>,
        /// `enterprises.created_at`.
        created_at -> Timestamp,
        /// `enterprises.updated_at`.
        updated_at -> Timestamp,
        /// `enterprises.profile`.
        profile -> Text,
        /// `enterprises.cipher`.
        cipher -> Text,
        /// `enterprises.base_secret_hash`.
        base_secret_hash -> Nullable<Text>,
    }
}

diesel::table! {
    /// The `evaluation_revision_rows` table.
    evaluation_revision_rows (week, revision, company_code) {
        /// `evaluation_revision_rows.week`.
        week -> Text,
        /// `evaluation_revision_rows.revision`.
        revision -> Integer,
        /// `evaluation_revision_rows.company_code`.
        company_code -> Text,
        /// `evaluation_revision_rows.as_of`.
        as_of -> Timestamp,
        /// `evaluation_revision_rows.score_tenths`.
        score_tenths -> Integer,
        /// `evaluation_revision_rows.grade`.
        grade -> Text,
        /// `evaluation_revision_rows.payload`.
        payload -> Text,
    }
}

diesel::table! {
    /// The `evaluation_revisions` table.
    evaluation_revisions (week, revision) {
        /// `evaluation_revisions.week`.
        week -> Text,
        /// `evaluation_revisions.revision`.
        revision -> Integer,
        /// `evaluation_revisions.as_of`.
        as_of -> Timestamp,
        /// `evaluation_revisions.actor`.
        actor -> Text,
        /// `evaluation_revisions.reason`.
        reason -> Text,
        /// `evaluation_revisions.enterprises`.
        enterprises -> Integer,
    }
}

diesel::table! {
    /// The `evaluations` table.
    evaluations (week, company_code) {
        /// `evaluations.week`.
        week -> Text,
        /// `evaluations.company_code`.
        company_code -> Text,
        /// `evaluations.as_of`.
        as_of -> Timestamp,
        /// `evaluations.score_tenths`.
        score_tenths -> Integer,
        /// `evaluations.grade`.
        grade -> Text,
        /// `evaluations.payload`.
        payload -> Text,
    }
}

diesel::table! {
    /// The `event_horizon` table.
    event_horizon (id) {
        /// `event_horizon.id`.
        id -> BigInt,
        /// `event_horizon.pruned_through`.
        pruned_through -> BigInt,
    }
}

diesel::table! {
    /// The `event_marks` table.
    event_marks (mark_key) {
        /// `event_marks.mark_key`.
        mark_key -> Text,
        /// `event_marks.company_code`.
        company_code -> Text,
        /// `event_marks.value`.
        value -> Text,
        /// `event_marks.at`.
        at -> Timestamp,
    }
}

diesel::table! {
    /// The `events` table.
    events (seq) {
        /// `events.seq`.
        seq -> BigInt,
        /// `events.at`.
        at -> Timestamp,
        /// `events.kind`.
        kind -> Text,
        /// `events.city_code`.
        city_code -> Nullable<Text>,
        /// `events.company_code`.
        company_code -> Nullable<Text>,
        /// `events.payload`.
        payload -> Text,
    }
}

diesel::table! {
    /// The `figure_checkpoints` table.
    figure_checkpoints (company_code) {
        /// `figure_checkpoints.company_code`.
        company_code -> Text,
        /// `figure_checkpoints.format`.
        format -> Integer,
        /// `figure_checkpoints.check_seq`.
        check_seq -> BigInt,
        /// `figure_checkpoints.written_at`.
        written_at -> Timestamp,
        /// `figure_checkpoints.body`.
        body -> Binary,
        /// `figure_checkpoints.events_seq`.
        events_seq -> Nullable<BigInt>,
    }
}

diesel::table! {
    /// The `hazard_source_versions` table.
    hazard_source_versions (seq) {
        /// `hazard_source_versions.seq`.
        seq -> BigInt,
        /// `hazard_source_versions.company_code`.
        company_code -> Text,
        /// `hazard_source_versions.record_id`.
        record_id -> Text,
        /// `hazard_source_versions.batch_id`.
        batch_id -> Text,
        /// `hazard_source_versions.received_at`.
        received_at -> Timestamp,
        /// `hazard_source_versions.deleted`.
        deleted -> Bool,
        /// `hazard_source_versions.create_date`.
        create_date -> Timestamp,
        /// `hazard_source_versions.create_by`.
        create_by -> Text,
        /// `hazard_source_versions.update_date`.
        update_date -> Timestamp,
        /// `hazard_source_versions.update_by`.
        update_by -> Text,
        /// `hazard_source_versions.credit_code`.
        credit_code -> Nullable<Text>,
        /// `hazard_source_versions.extra`.
        extra -> Nullable<Text>,
        /// `hazard_source_versions.hazard_code`.
        hazard_code -> Text,
        /// `hazard_source_versions.hazard_name`.
        hazard_name -> Text,
        /// `hazard_source_versions.hazard_level`.
        hazard_level -> Integer,
        /// `hazard_source_versions.responsible_person`.
        responsible_person -> Nullable<Text>,
        /// `hazard_source_versions.technical_person`.
        technical_person -> Nullable<Text>,
        /// `hazard_source_versions.operation_person`.
        operation_person -> Nullable<Text>,
    }
}

diesel::table! {
    /// The `job_runs` table.
    job_runs (job, run_key) {
        /// `job_runs.job`.
        job -> Text,
        /// `job_runs.run_key`.
        run_key -> Text,
        /// `job_runs.started_at`.
        started_at -> Timestamp,
        /// `job_runs.finished_at`.
        finished_at -> Nullable<Timestamp>,
        /// `job_runs.outcome`.
        outcome -> Nullable<Text>,
    }
}

diesel::table! {
    /// The `notifications` table.
    notifications (id) {
        /// `notifications.id`.
        id -> BigInt,
        /// `notifications.username`.
        username -> Text,
        /// `notifications.at`.
        at -> Timestamp,
        /// `notifications.kind`.
        kind -> Text,
        /// `notifications.case_id`.
        case_id -> Nullable<BigInt>,
        /// `notifications.warning_id`.
        warning_id -> Nullable<Text>,
        /// `notifications.title`.
        title -> Text,
        /// `notifications.body`.
        body -> Text,
        /// `notifications.read_at`.
        read_at -> Nullable<Timestamp>,
        /// `notifications.emailed_at`.
        emailed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// The `password_history` table.
    password_history (username, password_hash) {
        /// `password_history.username`.
        username -> Text,
        /// `password_history.set_at`.
        set_at -> Timestamp,
        /// `password_history.password_hash`.
        password_hash -> Text,
    }
}

diesel::table! {
    /// The `pending_records` table.
    pending_records (seq) {
        /// `pending_records.seq`.
        seq -> BigInt,
        /// `pending_records.table_name`.
        table_name -> Text,
        /// `pending_records.company_code`.
        company_code -> Text,
        /// `pending_records.record_id`.
        record_id -> Text,
        /// `pending_records.update_date`.
        update_date -> Timestamp,
        /// `pending_records.content_hash`.
        content_hash -> Text,
        /// `pending_records.batch_id`.
        batch_id -> Text,
        /// `pending_records.received_at`.
        received_at -> Timestamp,
        /// `pending_records.parent_table`.
        parent_table -> Text,
        /// `pending_records.parent_key`.
        parent_key -> Text,
        /// `pending_records.payload`.
        payload -> Text,
    }
}

diesel::table! {
    /// The `pull_claims` table.
    pull_claims (cycle, company_code) {
        /// `pull_claims.cycle`.
        cycle -> Text,
        /// `pull_claims.company_code`.
        company_code -> Text,
        /// `pull_claims.worker`.
        worker -> Text,
        /// `pull_claims.claimed_until`.
        claimed_until -> Timestamp,
        /// `pull_claims.attempts`.
        attempts -> Integer,
        /// `pull_claims.done_at`.
        done_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// The `pull_status` table.
    pull_status (company_code) {
        /// `pull_status.company_code`.
        company_code -> Text,
        /// `pull_status.last_attempt_at`.
        last_attempt_at -> Timestamp,
        /// `pull_status.last_success_at`.
        last_success_at -> Nullable<Timestamp>,
        /// `pull_status.last_error`.
        last_error -> Nullable<Text>,
        /// `pull_status.consecutive_failures`.
        consecutive_failures -> Integer,
        /// `pull_status.last_received`.
        last_received -> Integer,
        /// `pull_status.last_accepted`.
        last_accepted -> Integer,
        /// `pull_status.last_unchanged`.
        last_unchanged -> Integer,
        /// `pull_status.last_pending`.
        last_pending -> Integer,
        /// `pull_status.last_rejected`.
        last_rejected -> Integer,
    }
}

diesel::table! {
    /// The `pull_watermarks` table.
    pull_watermarks (company_code, table_name) {
        /// `pull_watermarks.company_code`.
        company_code -> Text,
        /// `pull_watermarks.table_name`.
        table_name -> Text,
        /// `pull_watermarks.watermark`.
        watermark -> Timestamp,
        /// `pull_watermarks.updated_at`.
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// The `push_group_members` table.
    push_group_members (group_name, company_code) {
        /// `push_group_members.group_name`.
        group_name -> Text,
        /// `push_group_members.company_code`.
        company_code -> Text,
    }
}

diesel::table! {
    /// The `push_groups` table.
    push_groups (name) {
        /// `push_groups.name`.
        name -> Text,
        /// `push_groups.password_hash`.
        password_hash -> Text,
        /// `push_groups.created_at`.
        created_at -> Timestamp,
        /// `push_groups.updated_at`.
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// The `record_attachments` table.
    record_attachments (sha256, company_code, table_name, record_id, field) {
        /// `record_attachments.sha256`.
        sha256 -> Text,
        /// `record_attachments.company_code`.
        company_code -> Text,
        /// `record_attachments.table_name`.
        table_name -> Text,
        /// `record_attachments.record_id`.
        record_id -> Text,
        /// `record_attachments.field`.
        field -> Text,
    }
}

diesel::table! {
    /// The `record_heads` table.
    record_heads (table_name, record_id, company_code) {
        /// `record_heads.table_name`.
        table_name -> Text,
        /// `record_heads.company_code`.
        company_code -> Text,
        /// `record_heads.record_id`.
        record_id -> Text,
        /// `record_heads.natural_key`.
        natural_key -> Text,
        /// `record_heads.update_date`.
        update_date -> Timestamp,
        /// `record_heads.content_hash`.
        content_hash -> Text,
        /// `record_heads.deleted`.
        deleted -> Bool,
        /// `record_heads.received_at`.
        received_at -> Timestamp,
        /// `record_heads.first_received_at`.
        first_received_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// The `reports` table.
    reports (id) {
        /// `reports.id`.
        id -> Text,
        /// `reports.month`.
        month -> Text,
        /// `reports.scope`.
        scope -> Text,
        /// `reports.revision`.
        revision -> Integer,
        /// `reports.as_of`.
        as_of -> Timestamp,
        /// `reports.note`.
        note -> Text,
        /// `reports.created_at`.
        created_at -> Timestamp,
        /// `reports.created_by`.
        created_by -> Text,
        /// `reports.content`.
        content -> Text,
        /// `reports.html`.
        html -> Text,
        /// `reports.xlsx`.
        xlsx -> Binary,
    }
}

diesel::table! {
    /// The `revoked_tokens` table.
    revoked_tokens (jti) {
        /// `revoked_tokens.jti`.
        jti -> Text,
        /// `revoked_tokens.reason`.
        reason -> Text,
        /// `revoked_tokens.revoked_by`.
        revoked_by -> Text,
        /// `revoked_tokens.revoked_at`.
        revoked_at -> Timestamp,
        /// `revoked_tokens.expires_at`.
        expires_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// The `risk_event_versions` table.
    risk_event_versions (seq) {
        /// `risk_event_versions.seq`.
        seq -> BigInt,
        /// `risk_event_versions.company_code`.
        company_code -> Text,
        /// `risk_event_versions.record_id`.
        record_id -> Text,
        /// `risk_event_versions.batch_id`.
        batch_id -> Text,
        /// `risk_event_versions.received_at`.
        received_at -> Timestamp,
        /// `risk_event_versions.deleted`.
        deleted -> Bool,
        /// `risk_event_versions.create_date`.
        create_date -> Timestamp,
        /// `risk_event_versions.create_by`.
        create_by -> Text,
        /// `risk_event_versions.update_date`.
        update_date -> Timestamp,
        /// `risk_event_versions.update_by`.
        update_by -> Text,
        /// `risk_event_versions.credit_code`.
        credit_code -> Nullable<Text>,
        /// `risk_event_versions.extra`.
        extra -> Nullable<Text>,
        /// `risk_event_versions.risk_unit_id`.
        risk_unit_id -> Text,
        /// `risk_event_versions.risk_event_name`.
        risk_event_name -> Text,
        /// `risk_event_versions.risk_description`.
        risk_description -> Nullable<Text>,
    }
}

diesel::table! {
    /// The `risk_unit_versions` table.
    risk_unit_versions (seq) {
        /// `risk_unit_versions.seq`.
        seq -> BigInt,
        /// `risk_unit_versions.company_code`.
        company_code -> Text,
        /// `risk_unit_versions.record_id`.
        record_id -> Text,
        /// `risk_unit_versions.batch_id`.
        batch_id -> Text,
        /// `risk_unit_versions.received_at`.
        received_at -> Timestamp,
        /// `risk_unit_versions.deleted`.
        deleted -> Bool,
        /// `risk_unit_versions.create_date`.
        create_date -> Timestamp,
        /// `risk_unit_versions.create_by`.
        create_by -> Text,
        /// `risk_unit_versions.update_date`.
        update_date -> Timestamp,
        /// `risk_unit_versions.update_by`.
        update_by -> Text,
        /// `risk_unit_versions.credit_code`.
        credit_code -> Nullable<Text>,
        /// `risk_unit_versions.extra`.
        extra -> Nullable<Text>,
        /// `risk_unit_versions.hazard_code`.
        hazard_code -> Text,
        /// `risk_unit_versions.hazard_dep`.
        hazard_dep -> Text,
        /// `risk_unit_versions.hazard_liable_person`.
        hazard_liable_person -> Text,
        /// `risk_unit_versions.risk_unit_name`.
        risk_unit_name -> Text,
        /// `risk_unit_versions.risk_class`.
        risk_class -> Nullable<Integer>,
    }
}

diesel::table! {
    /// The `security_policy` table.
    security_policy (version) {
        /// `security_policy.version`.
        version -> BigInt,
        /// `security_policy.policy`.
        policy -> Text,
        /// `security_policy.set_by`.
        set_by -> Text,
        /// `security_policy.set_at`.
        set_at -> Timestamp,
    }
}

diesel::table! {
    /// The `sessions` table.
    sessions (id_hash) {
        /// `sessions.id_hash`.
        id_hash -> Text,
        /// `sessions.username`.
        username -> Text,
        /// `sessions.created_at`.
        created_at -> Timestamp,
        /// `sessions.last_seen`.
        last_seen -> Timestamp,
        /// `sessions.expires_at`.
        expires_at -> Timestamp,
        /// `sessions.ended_at`.
        ended_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// The `spot_draws` table.
    spot_draws (id) {
        /// `spot_draws.id`.
        id -> BigInt,
        /// `spot_draws.city_code`.
        city_code -> Text,
        /// `spot_draws.seed`.
        seed -> BigInt,
        /// `spot_draws.size`.
        size -> Integer,
        /// `spot_draws.companies`.
        companies -> Text,
        /// `spot_draws.drawn_by`.
        drawn_by -> Text,
        /// `spot_draws.drawn_at`.
        drawn_at -> Timestamp,
    }
}

diesel::table! {
    /// The `spot_findings` table.
    spot_findings (id) {
        /// `spot_findings.id`.
        id -> BigInt,
        /// `spot_findings.draw_id`.
        draw_id -> BigInt,
        /// `spot_findings.company_code`.
        company_code -> Text,
        /// `spot_findings.checked_on`.
        checked_on -> Text,
        /// `spot_findings.result`.
        result -> Text,
        /// `spot_findings.findings`.
        findings -> Text,
        /// `spot_findings.recorded_by`.
        recorded_by -> Text,
        /// `spot_findings.recorded_at`.
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    /// The `unit_stop_versions` table.
    unit_stop_versions (seq) {
        /// `unit_stop_versions.seq`.
        seq -> BigInt,
        /// `unit_stop_versions.company_code`.
        company_code -> Text,
        /// `unit_stop_versions.record_id`.
        record_id -> Text,
        /// `unit_stop_versions.batch_id`.
        batch_id -> Text,
        /// `unit_stop_versions.received_at`.
        received_at -> Timestamp,
        /// `unit_stop_versions.deleted`.
        deleted -> Bool,
        /// `unit_stop_versions.create_date`.
        create_date -> Timestamp,
        /// `unit_stop_versions.create_by`.
        create_by -> Text,
        /// `unit_stop_versions.update_date`.
        update_date -> Timestamp,
        /// `unit_stop_versions.update_by`.
        update_by -> Text,
        /// `unit_stop_versions.credit_code`.
        credit_code -> Nullable<Text>,
        /// `unit_stop_versions.extra`.
        extra -> Nullable<Text>,
        /// `unit_stop_versions.risk_unit_id`.
        risk_unit_id -> Text,
        /// `unit_stop_versions.stop_start_time`.
        stop_start_time -> Timestamp,
        /// `unit_stop_versions.stop_end_time`.
        stop_end_time -> Nullable<Timestamp>,
        /// `unit_stop_versions.stop_reason`.
        stop_reason -> Text,
    }
}

diesel::table! {
    /// The `upgrade_steps` table.
    upgrade_steps (name) {
        /// `upgrade_steps.name`.
        name -> Text,
        /// `upgrade_steps.done_at`.
        done_at -> Timestamp,
    }
}

diesel::table! {
    /// The `warning_actions` table.
    warning_actions (id) {
        /// `warning_actions.id`.
        id -> BigInt,
        /// `warning_actions.case_id`.
        case_id -> BigInt,
        /// `warning_actions.action`.
        action -> Text,
        /// `warning_actions.actor`.
        actor -> Text,
        /// `warning_actions.role`.
        role -> Nullable<Text>,
        /// `warning_actions.at`.
        at -> Timestamp,
        /// `warning_actions.note`.
        note -> Text,
        /// `warning_actions.deadline`.
        deadline -> Nullable<Timestamp>,
        /// `warning_actions.attachments`.
        attachments -> Text,
        /// `warning_actions.from_state`.
        from_state -> Nullable<Text>,
        /// `warning_actions.to_state`.
        to_state -> Nullable<Text>,
    }
}

diesel::table! {
    /// The `warning_cases` table.
    warning_cases (id) {
        /// `warning_cases.id`.
        id -> BigInt,
        /// `warning_cases.warning_id`.
        warning_id -> Text,
        /// `warning_cases.company_code`.
        company_code -> Text,
        /// `warning_cases.city_code`.
        city_code -> Text,
        /// `warning_cases.kind`.
        kind -> Text,
        /// `warning_cases.level`.
        level -> Text,
        /// `warning_cases.detail`.
        detail -> Text,
        /// `warning_cases.opened_at`.
        opened_at -> Timestamp,
        /// `warning_cases.sign_due`.
        sign_due -> Timestamp,
        /// `warning_cases.close_due`.
        close_due -> Timestamp,
        /// `warning_cases.state`.
        state -> Text,
        /// `warning_cases.signed_at`.
        signed_at -> Nullable<Timestamp>,
        /// `warning_cases.signed_by`.
        signed_by -> Nullable<Text>,
        /// `warning_cases.closed_at`.
        closed_at -> Nullable<Timestamp>,
        /// `warning_cases.closed_by`.
        closed_by -> Nullable<Text>,
        /// `warning_cases.cleared_at`.
        cleared_at -> Nullable<Timestamp>,
        /// `warning_cases.supervised_at`.
        supervised_at -> Nullable<Timestamp>,
        /// `warning_cases.supervise_deadline`.
        supervise_deadline -> Nullable<Timestamp>,
        /// `warning_cases.returns`.
        returns -> Integer,
        /// `warning_cases.escalated_at`.
        escalated_at -> Nullable<Timestamp>,
        /// `warning_cases.escalation_level`.
        escalation_level -> Integer,
        /// `warning_cases.updated_at`.
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// The `warning_escalations` table.
    warning_escalations (case_id, reason) {
        /// `warning_escalations.case_id`.
        case_id -> BigInt,
        /// `warning_escalations.reason`.
        reason -> Text,
        /// `warning_escalations.at`.
        at -> Timestamp,
    }
}

diesel::table! {
    /// The `webhook_deliveries` table.
    webhook_deliveries (id) {
        /// `webhook_deliveries.id`.
        id -> BigInt,
        /// `webhook_deliveries.webhook_id`.
        webhook_id -> BigInt,
        /// `webhook_deliveries.seq`.
        seq -> BigInt,
        /// `webhook_deliveries.kind`.
        kind -> Text,
        /// `webhook_deliveries.state`.
        state -> Text,
        /// `webhook_deliveries.attempts`.
        attempts -> Integer,
        /// `webhook_deliveries.first_attempt_at`.
        first_attempt_at -> Nullable<Timestamp>,
        /// `webhook_deliveries.next_attempt_at`.
        next_attempt_at -> Timestamp,
        /// `webhook_deliveries.last_status`.
        last_status -> Nullable<Integer>,
        /// `webhook_deliveries.last_error`.
        last_error -> Nullable<Text>,
        /// `webhook_deliveries.created_at`.
        created_at -> Timestamp,
        /// `webhook_deliveries.delivered_at`.
        delivered_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// The `webhooks` table.
    webhooks (id) {
        /// `webhooks.id`.
        id -> BigInt,
        /// `webhooks.url`.
        url -> Text,
        /// `webhooks.kinds`.
        kinds -> Text,
        /// `webhooks.secret`.
        secret -> Text,
        /// `webhooks.owner_role`.
        owner_role -> Text,
        /// `webhooks.owner`.
        owner -> Text,
        /// `webhooks.state`.
        state -> Text,
        /// `webhooks.cursor`.
        cursor -> BigInt,
        /// `webhooks.failures`.
        failures -> Integer,
        /// `webhooks.created_at`.
        created_at -> Timestamp,
        /// `webhooks.paused_at`.
        paused_at -> Nullable<Timestamp>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(acceptances, accounts, attachment_uses, attachments, audit_log, batch_errors, batch_rejects, batches, check_month_parts, check_record_versions, check_task_versions, control_measure_versions, danger_versions, discarded_records, enterprises, evaluation_revision_rows, evaluation_revisions, evaluations, event_horizon, event_marks, events, figure_checkpoints, hazard_source_versions, job_runs, notifications, password_history, pending_records, pull_claims, pull_status, pull_watermarks, push_group_members, push_groups, record_attachments, record_heads, reports, revoked_tokens, risk_event_versions, risk_unit_versions, security_policy, sessions, spot_draws, spot_findings, unit_stop_versions, upgrade_steps, warning_actions, warning_cases, warning_escalations, webhook_deliveries, webhooks);
