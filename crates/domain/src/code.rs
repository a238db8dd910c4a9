//! The one registry of error codes (in the manner of meilisearch's `error.rs`): every stable code the platform
//! answers or prints, with its HTTP status and a zh/en title, in one table. Error types of every crate return a
//! [`Code`]; the API takes the status from here (`api::error`); `docs/errors.md` and the OpenAPI document list every
//! code, and tests check both against this table.
//!
//! A code about a request's query or path answers its status here (400 for most); the same rule broken inside a JSON
//! body answers 422 (`api::error::ApiError::unprocessable`).

/// Declares [`Code`] from one table: variant, code, status, zh title, en title.
macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $code:literal, $status:literal, $zh:literal, $en:literal;)+) => {
        /// A stable error code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $($(#[$doc])* #[doc = concat!("`", $code, "` (", stringify!($status), "): ", $zh, " / ", $en, ".")] $variant,)+
        }

        impl Code {
            /// Every code, in table order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)+];

            /// The stable snake_case code.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)+ }
            }

            /// The HTTP status it answers (for a query or path; see the module docs for bodies).
            pub fn status(self) -> u16 {
                match self { $(Code::$variant => $status,)+ }
            }

            /// A short title in Chinese.
            pub fn title_zh(self) -> &'static str {
                match self { $(Code::$variant => $zh,)+ }
            }

            /// A short title in English.
            pub fn title_en(self) -> &'static str {
                match self { $(Code::$variant => $en,)+ }
            }
        }
    };
}

// The table: variant = "code", status, "中文", "English".
codes! {
    // Access.
    Unauthorized = "unauthorized", 401, "需要有效的令牌", "A valid token is required";
    Forbidden = "forbidden", 403, "超出访问范围", "Outside the caller's scope";
    BadCredentials = "bad_credentials", 401, "用户名或密码错误", "Wrong username or password";
    AccountLocked = "account_locked", 423, "账号已锁定", "Account locked";
    WeakPassword = "weak_password", 422, "密码不符合规则", "Password breaks the policy";
    BadPolicy = "bad_policy", 422, "安全策略超出允许范围", "Security policy out of bounds";
    Csrf = "csrf", 403, "缺少防跨站请求头", "Cross-site request refused";
    PasswordChangeRequired = "password_change_required", 403, "须先修改密码", "Password change required";
    RateLimited = "rate_limited", 429, "请求过于频繁", "Too many requests";
    // Accounts (administered with separated duties).
    UsernameTaken = "username_taken", 409, "用户名已存在", "Username taken";
    BadUsername = "bad_username", 400, "用户名格式错误", "Bad username";
    BadScope = "bad_scope", 422, "角色与范围不符", "Role and scope do not fit";
    AdminRoleByCli = "admin_role_by_cli", 422, "管理员账号只能在服务器上建立", "Administrators are made on the server";
    ConfirmRequired = "confirm_required", 422, "须由安全管理员确认", "Confirmation by the security administrator required";
    NotPending = "not_pending", 422, "账号不是待确认状态", "Account not pending";
    // Addresses and sizes.
    NotFound = "not_found", 404, "未找到", "Not found";
    TooLarge = "too_large", 413, "请求体过大", "Request body too large";
    CursorExpired = "cursor_expired", 410, "游标已过保留期", "Cursor older than retention";
    // Request parameters and bodies.
    BadAsOf = "bad_as_of", 400, "asOf 时间格式错误", "asOf is not RFC 3339";
    BadBody = "bad_body", 400, "请求体无法解析", "Request body cannot be read";
    BadJson = "bad_json", 400, "JSON 请求体无法解析", "JSON body cannot be read";
    BadPath = "bad_path", 400, "路径参数错误", "Bad path parameter";
    BadBy = "bad_by", 400, "分组方式错误", "Unknown grouping";
    BadCursor = "bad_cursor", 400, "游标错误", "Bad cursor";
    BadDate = "bad_date", 400, "日期错误", "Bad date";
    BadExpires = "bad_expires", 400, "到期时间错误", "Bad expiry";
    BadGrade = "bad_grade", 400, "等级错误", "Bad grade";
    BadJti = "bad_jti", 400, "令牌编号错误", "Bad token id";
    BadKind = "bad_kind", 400, "事件类型错误", "Unknown event kind";
    BadLimit = "bad_limit", 400, "条数上限错误", "Bad limit";
    BadMetric = "bad_metric", 400, "未知指标", "Unknown metric";
    BadMonth = "bad_month", 400, "月份错误", "Bad month";
    BadNote = "bad_note", 400, "说明错误", "Bad note";
    BadOf = "bad_of", 400, "排名对象错误", "Bad ranking subject";
    BadOutcome = "bad_outcome", 400, "结论错误", "Bad outcome";
    BadPeriod = "bad_period", 400, "统计周期错误", "Bad period";
    BadQuery = "bad_query", 400, "查询参数组合错误", "Parameters that cannot be combined";
    BadResult = "bad_result", 400, "抽查结果错误", "Bad result";
    BadRole = "bad_role", 400, "角色错误", "Unknown role";
    BadSecret = "bad_secret", 400, "密钥错误", "Bad secret";
    BadSeed = "bad_seed", 400, "随机种子错误", "Bad seed";
    BadSince = "bad_since", 400, "起始时间错误", "Bad since";
    BadSize = "bad_size", 400, "抽查数量错误", "Bad size";
    BadStatus = "bad_status", 400, "状态错误", "Bad status";
    BadTable = "bad_table", 400, "未知数据表", "Unknown table";
    BadTime = "bad_time", 400, "时间错误", "Bad time";
    BadUrl = "bad_url", 400, "地址错误", "Bad URL";
    BadWait = "bad_wait", 400, "等待时长错误", "Bad wait";
    BadWarningId = "bad_warning_id", 400, "预警编号错误", "Bad warning id";
    UnknownCity = "unknown_city", 400, "未知地市", "Unknown city";
    UnknownCompany = "unknown_company", 400, "未知企业", "Unknown enterprise";
    // Domain values.
    BadCompanyCode = "bad_company_code", 400, "企业编码错误", "Bad enterprise code";
    BadCreditCode = "bad_credit_code", 400, "统一社会信用代码错误", "Bad unified social credit code";
    BadBatch = "bad_batch", 400, "批次错误", "Bad batch";
    BadEnum = "bad_enum", 400, "枚举值错误", "Bad enumerated value";
    UnknownTable = "unknown_table", 400, "未知数据表", "Unknown exchange table";
    UnknownFlag = "unknown_flag", 400, "未知企业标志", "Unknown enterprise flag";
    BadCalendar = "bad_calendar", 400, "工作日历文件错误", "Bad working-day calendar";
    BadNow = "bad_now", 400, "DUALPREV_NOW 时间格式错误", "DUALPREV_NOW is not RFC 3339";
    // Rules of resources (well-formed bodies).
    FutureDate = "future_date", 422, "日期不能晚于今天", "Date in the future";
    CheckedBeforeDraw = "checked_before_draw", 422, "抽查日期早于抽取日期", "Checked before the draw";
    NotInDraw = "not_in_draw", 422, "企业不在本次抽取中", "Enterprise not in the draw";
    NoExperts = "no_experts", 422, "缺少专家", "No experts named";
    RecheckBeforeAcceptance = "recheck_before_acceptance", 422, "复查早于验收", "Recheck before acceptance";
    RecheckIncomplete = "recheck_incomplete", 422, "复查信息不完整", "Recheck incomplete";
    RectifyBeforeAcceptance = "rectify_before_acceptance", 422, "整改期限早于验收", "Rectification due before acceptance";
    RectifyByRequired = "rectify_by_required", 422, "须给出整改期限", "Rectification deadline required";
    ReasonRequired = "reason_required", 422, "须说明原因", "Reason required";
    WeekNotStored = "week_not_stored", 422, "该周尚未发布", "Week not stored";
    NoChange = "no_change", 422, "没有变化", "Nothing changed";
    ReportNotDue = "report_not_due", 409, "报告未到期", "Report not due yet";
    // Warning handling (docs/warnings.md).
    BadAction = "bad_action", 422, "处置动作错误", "Bad handling action";
    NoteRequired = "note_required", 422, "须填写说明", "Note required";
    DeadlineRequired = "deadline_required", 422, "须给出督办期限", "Deadline required";
    BadAttachment = "bad_attachment", 422, "附件错误", "Bad attachment";
    ActionNotAllowed = "action_not_allowed", 409, "当前状态不能执行此操作", "Action not allowed in this state";
    // Exchange bodies.
    MalformedBody = "malformed_body", 400, "请求体不是 JSON", "Body is not JSON";
    NotAnArray = "not_an_array", 400, "请求体不是记录数组", "Body is not an array of records";
    EmptyBatch = "empty_batch", 400, "批次为空", "Empty batch";
    TooManyRecords = "too_many_records", 413, "批次记录过多", "Too many records in a batch";
    DecryptFailed = "decrypt_failed", 400, "datas 无法解密", "datas cannot be decrypted";
    NoKey = "no_key", 400, "未配置密钥", "No key configured";
    // Webhook signatures (checked by receivers).
    SignatureMalformed = "signature_malformed", 401, "签名格式错误", "Malformed signature";
    SignatureStale = "signature_stale", 401, "签名已过期", "Stale signature";
    SignatureMismatch = "signature_mismatch", 401, "签名不符", "Signature mismatch";
    // The database and the service.
    DatabaseUnavailable = "database_unavailable", 503, "数据库不可用", "Database unavailable";
    DiskFull = "disk_full", 503, "数据库磁盘已满", "Database disk full";
    DatabaseReadOnly = "database_read_only", 503, "数据库只读", "Database read-only";
    DatabaseIoError = "database_io_error", 503, "数据库磁盘读写失败", "Database disk failed";
    DatabaseError = "database_error", 500, "数据库操作失败", "Database query failed";
    CorruptData = "corrupt_data", 500, "数据库中的数据无效", "Invalid data in the database";
    MigrationFailed = "migration_failed", 500, "数据库迁移失败", "Migration failed";
    BadDatabaseUrl = "bad_database_url", 400, "数据库地址无效", "Invalid database URL";
    NotReady = "not_ready", 503, "服务未就绪", "Not ready";
    AuditWriterGone = "audit_writer_gone", 503, "审计写入已停止", "Audit writer stopped";
    RenderFailed = "render_failed", 500, "报告生成失败", "Report rendering failed";
    Internal = "internal", 500, "内部错误", "Internal error";
    // Commands (backups and moves between databases).
    BackupPostgresUsePgDump = "backup_postgres_use_pg_dump", 400, "PostgreSQL 请用 pg_dump 备份", "Back up PostgreSQL with pg_dump";
    BackupExists = "backup_exists", 409, "备份文件已存在", "Backup file exists";
    BackupNoFolder = "backup_no_folder", 400, "备份目录不存在", "Backup folder missing";
    BackupFailed = "backup_failed", 500, "备份失败", "Backup failed";
    TargetNotEmpty = "target_not_empty", 409, "目标数据库非空", "Target database not empty";
    SourceNotMigrated = "source_not_migrated", 409, "源数据库未完成迁移", "Source database not migrated";
    SameDatabase = "same_database", 400, "源与目标是同一数据库", "Source and target are the same";
    SchemaDiffers = "schema_differs", 409, "两库结构不同", "Schemas differ";
    BadValue = "bad_value", 500, "数据值无法复制", "Value cannot be copied";
    CopyMismatch = "copy_mismatch", 500, "复制后校验不符", "Copy check failed";
}

impl Code {
    /// The code of a snake_case text, if registered.
    pub fn parse(s: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == s)
    }

    /// "zh / en", the problem document's `title`.
    pub fn title(self) -> String {
        format!("{} / {}", self.title_zh(), self.title_en())
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_snake_case_with_a_status_and_both_titles() {
        let mut seen = std::collections::BTreeSet::new();
        for c in Code::ALL {
            assert!(seen.insert(c.as_str()), "{c} is registered twice");
            assert!(c.as_str().chars().all(|ch| ch.is_ascii_lowercase() || ch == '_'), "{c} is not snake_case");
            assert!((400..600).contains(&c.status()), "{c}: {}", c.status());
            assert!(!c.title_zh().is_empty() && !c.title_en().is_empty(), "{c} lacks a title");
            assert_eq!(Code::parse(c.as_str()), Some(*c));
        }
        assert_eq!(Code::parse("no_such_code"), None);
    }
}
