-- Expert acceptance (验收) and the provincial spot checks (抽查). Append-only: a correction or a re-check is a new
-- row, every version is kept. Dates are local (Asia/Shanghai) calendar dates kept as TEXT 'YYYY-MM-DD' (a portable
-- type that sorts in date order); times are naive UTC. Grades are 优, 良, 中 or 差, as in evaluations.

-- One acceptance of one enterprise by the experts of its city; the current one is the latest by (accepted_on, id).
CREATE TABLE acceptances (
    id BIGSERIAL PRIMARY KEY,
    company_code TEXT NOT NULL,
    city_code TEXT NOT NULL,
    accepted_on TEXT NOT NULL,
    experts TEXT NOT NULL,
    grade TEXT NOT NULL,
    findings TEXT NOT NULL,
    rectify_by TEXT,
    recheck_on TEXT,
    recheck_grade TEXT,
    recorded_by TEXT NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX acceptances_city ON acceptances (city_code, company_code);
CREATE INDEX acceptances_company ON acceptances (company_code, accepted_on, id);

-- A reproducible random sample of one city's enterprises: companies (JSON array of codes) in draw order.
CREATE TABLE spot_draws (
    id BIGSERIAL PRIMARY KEY,
    city_code TEXT NOT NULL,
    seed BIGINT NOT NULL,
    size INTEGER NOT NULL,
    companies TEXT NOT NULL,
    drawn_by TEXT NOT NULL,
    drawn_at TIMESTAMP NOT NULL
);
CREATE INDEX spot_draws_city ON spot_draws (city_code, drawn_at);

-- What the spot check of one drawn enterprise found (pass or fail); the current one is the latest by
-- (checked_on, id).
CREATE TABLE spot_findings (
    id BIGSERIAL PRIMARY KEY,
    draw_id BIGINT NOT NULL REFERENCES spot_draws (id),
    company_code TEXT NOT NULL,
    checked_on TEXT NOT NULL,
    result TEXT NOT NULL,
    findings TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX spot_findings_draw ON spot_findings (draw_id, company_code);
