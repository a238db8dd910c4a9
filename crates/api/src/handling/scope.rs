//! Who may read a case and who may act on it: the province every case, a city its own city's, an enterprise its
//! own; the service role reads every case and acts on none; the three administrators neither.

use crate::auth::{Caller, Role};
use crate::error::{ApiError, ApiResult};
use domain::handling::{Action, HandlingState, Party};
use storage::handling::cases::CaseRow;

/// The handling party of a caller, if it takes part in handling.
pub fn party(caller: &Caller) -> Option<Party> {
    match caller.role() {
        Role::Province => Some(Party::Province),
        Role::City => Some(Party::City),
        Role::Enterprise => Some(Party::Enterprise),
        Role::Service | Role::Sysadmin | Role::Secadmin | Role::Auditor => None,
    }
}

/// Refuses a caller who may not read the case (403).
pub fn may_read(caller: &Caller, company: &str, city: &str) -> ApiResult<()> {
    if caller.role() == Role::Service {
        return Ok(());
    }
    caller.may_see_enterprise(company, Some(city))
}

/// The actions the caller may take on the case now: permitted to its party and applicable in the case's state.
pub fn allowed(caller: &Caller, case: &CaseRow) -> Vec<Action> {
    let Some(party) = party(caller) else { return Vec::new() };
    if may_read(caller, &case.company_code, &case.city_code).is_err() {
        return Vec::new();
    }
    let state = case.handling_state();
    Action::ALL.into_iter().filter(|a| a.permitted(party)).filter(|a| a.applies(state)).collect()
}

/// Refuses an action the caller may not take on the case: 403 outside its scope or its party's actions, 409 when
/// the action does not apply in the case's state.
pub fn may_act(caller: &Caller, case: &CaseRow, action: Action) -> ApiResult<()> {
    may_read(caller, &case.company_code, &case.city_code)?;
    if !party(caller).is_some_and(|p| action.permitted(p)) {
        return Err(ApiError::Forbidden(format!(
            "当前角色不能执行“{}” / the role {} may not {}",
            action.label(),
            caller.role().key(),
            action.key()
        )));
    }
    let state = case.handling_state();
    if !action.applies(state) {
        return Err(not_allowed(action, state));
    }
    Ok(())
}

/// The 409 of an action that does not apply in a state.
pub fn not_allowed(action: Action, state: HandlingState) -> ApiError {
    ApiError::bad_request(
        domain::Code::ActionNotAllowed,
        format!(
            "处置状态为“{}”，不能执行“{}” / the case is {}, {} does not apply",
            state.label(),
            action.label(),
            state.key(),
            action.key()
        ),
    )
}
