//! The demo's warning handling: the detector opens a case for every open warning, and on the first run the demo
//! enterprise (`qiye`) signs and answers one of its own, so that the city (`taiyuan`) has a case to verify and the
//! timeline has steps to show; the province (`sheng`) supervises one red case. Later runs leave cases as they are.

use anyhow::{Result, anyhow};
use domain::handling::{Action, HandlingState};
use storage::handling::actions::{Act, Acted, act};
use storage::handling::cases::{Filter, list};

/// The demo enterprise.
const COMPANY: &str = "140100001";

/// What the demo prepared, for the printout.
#[derive(Debug, Default)]
pub struct Prepared {
    /// Open cases by state key.
    pub open: Vec<(String, i64)>,
    /// The case the city may verify now (its warning id).
    pub to_verify: Option<String>,
}

fn step(action: Action, actor: &str, role: &str, note: &str, deadline: Option<chrono::NaiveDateTime>) -> Act {
    Act { action, actor: actor.into(), role: role.into(), note: note.into(), deadline, done: true, files: Vec::new() }
}

/// Opens the cases and, on the first run, takes the demo steps.
pub async fn prepare(state: &api::AppState) -> Result<Prepared> {
    let now = state.clock.now_utc();
    api::changes::detect::detect(state, now).await.map_err(|e| anyhow!("{e}"))?;
    let db = state.db.clone();
    let touched = db.with(|c| {
        let mine = list(c, &Filter { company: Some(COMPANY.into()), ..Filter::default() }, 500, 0)?;
        Ok(mine.iter().any(|k| k.handling_state() != HandlingState::PendingSign))
    })?;
    if !touched {
        db.with(|c| {
            let mine = list(c, &Filter { company: Some(COMPANY.into()), open: true, ..Filter::default() }, 1, 0)?;
            if let Some(case) = mine.first() {
                act(c, case.id, &step(Action::Sign, "qiye", "enterprise", "已签收，安排整改", None), now)?;
                let answer = "已组织排查，问题已整改完毕，附整改记录";
                act(c, case.id, &step(Action::Respond, "qiye", "enterprise", answer, None), now)?;
            }
            let red = Filter { level: Some("red".into()), open: true, ..Filter::default() };
            if let Some(case) = list(c, &red, 1, 0)?.first() {
                let deadline = Some(now + chrono::TimeDelta::days(3));
                let s = step(Action::Supervise, "sheng", "province", "挂牌督办：三日内完成整改并报送", deadline);
                if let Acted::Refused(st) = act(c, case.id, &s, now)? {
                    tracing::warn!(state = st.key(), "the demo supervision did not apply");
                }
            }
            Ok(())
        })?;
    }
    db.with(|c| {
        let open = storage::handling::cases::counts(c, &Filter::default())?;
        let verify = Filter { state: Some("pending_verify".into()), city: Some("140100".into()), ..Filter::default() };
        let to_verify = list(c, &verify, 1, 0)?.first().map(|k| k.warning_id.clone());
        Ok(Prepared { open, to_verify })
    })
    .map_err(Into::into)
}
