//! Warning handling (`docs/warnings.md`): the states of a case, the actions people take and who may take them.
//!
//! A case moves 待签收 → 已签收 → 处置中 → 待核销 → 已办结. `sign` acknowledges it; `respond` reports measures
//! (with `done: false` as progress, 处置中; otherwise for verification, 待核销); `verify` closes it and `return`
//! sends it back to 处置中; `supervise` (挂牌督办) sets a deadline and `note` adds to the timeline, both without a
//! change of state. No action applies to a closed case.

use serde::{Deserialize, Serialize};

/// The handling state of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HandlingState {
    /// 待签收: opened, nobody has acknowledged it.
    PendingSign,
    /// 已签收: acknowledged.
    Signed,
    /// 处置中: measures under way (progress reported, or returned).
    Handling,
    /// 待核销: measures reported, awaiting the city's verification.
    PendingVerify,
    /// 已办结: verified, or closed because a non-red cause cleared.
    Closed,
}

impl HandlingState {
    /// Every state, in order.
    pub const ALL: [HandlingState; 5] = [
        HandlingState::PendingSign,
        HandlingState::Signed,
        HandlingState::Handling,
        HandlingState::PendingVerify,
        HandlingState::Closed,
    ];

    /// The stable key (`pending_sign`, `signed`, `handling`, `pending_verify`, `closed`).
    pub fn key(self) -> &'static str {
        match self {
            HandlingState::PendingSign => "pending_sign",
            HandlingState::Signed => "signed",
            HandlingState::Handling => "handling",
            HandlingState::PendingVerify => "pending_verify",
            HandlingState::Closed => "closed",
        }
    }

    /// The Chinese label (`待签收` …).
    pub fn label(self) -> &'static str {
        match self {
            HandlingState::PendingSign => "待签收",
            HandlingState::Signed => "已签收",
            HandlingState::Handling => "处置中",
            HandlingState::PendingVerify => "待核销",
            HandlingState::Closed => "已办结",
        }
    }

    /// The state of a key or of a Chinese label.
    pub fn parse(s: &str) -> Option<HandlingState> {
        HandlingState::ALL.into_iter().find(|x| x.key() == s || x.label() == s)
    }
}

/// An action a person takes on a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// 签收.
    Sign,
    /// 反馈处置措施.
    Respond,
    /// 核销 (closes the case).
    Verify,
    /// 退回 (back to 处置中, with a reason).
    Return,
    /// 挂牌督办 (a deadline and a note; the province).
    Supervise,
    /// 备注.
    Note,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 6] =
        [Action::Sign, Action::Respond, Action::Verify, Action::Return, Action::Supervise, Action::Note];

    /// The stable key, as in the request body and in the event `warning.{past}`.
    pub fn key(self) -> &'static str {
        match self {
            Action::Sign => "sign",
            Action::Respond => "respond",
            Action::Verify => "verify",
            Action::Return => "return",
            Action::Supervise => "supervise",
            Action::Note => "note",
        }
    }

    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Action::Sign => "签收",
            Action::Respond => "反馈处置",
            Action::Verify => "核销办结",
            Action::Return => "退回",
            Action::Supervise => "挂牌督办",
            Action::Note => "备注",
        }
    }

    /// The event kind the action emits (`warning.signed` …).
    pub fn event(self) -> &'static str {
        match self {
            Action::Sign => "warning.signed",
            Action::Respond => "warning.responded",
            Action::Verify => "warning.verified",
            Action::Return => "warning.returned",
            Action::Supervise => "warning.supervised",
            Action::Note => "warning.noted",
        }
    }

    /// The action of a key.
    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.key() == s)
    }

    /// Whether a party may take this action on a case in its scope: sign and respond are the enterprise's and the
    /// city's; verify and return the city's and the province's; supervise the province's; note anyone's.
    pub fn permitted(self, party: Party) -> bool {
        use Party::{City, Enterprise, Province};
        match self {
            Action::Sign | Action::Respond => matches!(party, Enterprise | City),
            Action::Verify | Action::Return => matches!(party, City | Province),
            Action::Supervise => party == Province,
            Action::Note => true,
        }
    }

    /// Whether the action needs a note (return needs its reason, supervise its instruction, respond its measures,
    /// note its text).
    pub fn needs_note(self) -> bool {
        matches!(self, Action::Respond | Action::Return | Action::Supervise | Action::Note)
    }

    /// Whether the action applies in a state (with either value of respond's `done`).
    pub fn applies(self, state: HandlingState) -> bool {
        self.next(state, true).is_some() || self.next(state, false).is_some()
    }

    /// The state after the action, or `None` when the action does not apply in `from`. `done` is respond's flag
    /// (measures complete: for verification).
    pub fn next(self, from: HandlingState, done: bool) -> Option<HandlingState> {
        use HandlingState as S;
        match (self, from) {
            (_, S::Closed) => None,
            (Action::Sign, S::PendingSign) => Some(S::Signed),
            (Action::Respond, S::Signed | S::Handling) => Some(if done { S::PendingVerify } else { S::Handling }),
            (Action::Verify, S::PendingVerify) => Some(S::Closed),
            (Action::Return, S::PendingVerify) => Some(S::Handling),
            (Action::Supervise | Action::Note, s) => Some(s),
            _ => None,
        }
    }
}

/// Who takes an action, as far as handling is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    /// The provincial task force.
    Province,
    /// The enterprise's city bureau.
    City,
    /// The enterprise itself.
    Enterprise,
}

/// Why a case was escalated to the province.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Escalation {
    /// Not signed within its time (24 h; 2 h for red).
    Unsigned,
    /// Supervised (挂牌督办) and not closed by the deadline.
    SupervisionOverdue,
    /// Returned twice.
    ReturnedTwice,
}

impl Escalation {
    /// Every reason.
    pub const ALL: [Escalation; 3] = [Escalation::Unsigned, Escalation::SupervisionOverdue, Escalation::ReturnedTwice];

    /// The stable key.
    pub fn key(self) -> &'static str {
        match self {
            Escalation::Unsigned => "unsigned",
            Escalation::SupervisionOverdue => "supervision_overdue",
            Escalation::ReturnedTwice => "returned_twice",
        }
    }

    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Escalation::Unsigned => "超时未签收",
            Escalation::SupervisionOverdue => "督办逾期未办结",
            Escalation::ReturnedTwice => "两次退回",
        }
    }

    /// The reason of a key.
    pub fn parse(s: &str) -> Option<Escalation> {
        Escalation::ALL.into_iter().find(|e| e.key() == s)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use HandlingState as S;

    #[test]
    fn the_whole_loop_and_a_return() {
        let s = Action::Sign.next(S::PendingSign, true).unwrap();
        assert_eq!(s, S::Signed);
        assert_eq!(Action::Respond.next(s, false), Some(S::Handling));
        let s = Action::Respond.next(s, true).unwrap();
        assert_eq!(s, S::PendingVerify);
        assert_eq!(Action::Return.next(s, true), Some(S::Handling));
        assert_eq!(Action::Verify.next(s, true), Some(S::Closed));
    }

    #[test]
    fn actions_out_of_order_are_refused() {
        assert_eq!(Action::Respond.next(S::PendingSign, true), None, "sign first");
        assert_eq!(Action::Verify.next(S::Handling, true), None, "nothing to verify");
        assert_eq!(Action::Sign.next(S::Signed, true), None, "signed once");
        for a in Action::ALL {
            assert_eq!(a.next(S::Closed, true), None, "{a:?} on a closed case");
        }
        assert_eq!(Action::Supervise.next(S::Handling, true), Some(S::Handling));
        assert!(Action::Respond.applies(S::Handling) && !Action::Respond.applies(S::PendingVerify));
    }

    #[test]
    fn who_may_do_what() {
        assert!(Action::Sign.permitted(Party::Enterprise) && !Action::Sign.permitted(Party::Province));
        assert!(!Action::Verify.permitted(Party::Enterprise) && Action::Verify.permitted(Party::City));
        assert!(Action::Supervise.permitted(Party::Province) && !Action::Supervise.permitted(Party::City));
        assert!(Party::ALL_FOR_TEST.iter().all(|p| Action::Note.permitted(*p)));
    }

    impl Party {
        const ALL_FOR_TEST: [Party; 3] = [Party::Province, Party::City, Party::Enterprise];
    }

    #[test]
    fn keys_and_labels_round_trip() {
        for s in S::ALL {
            assert_eq!(S::parse(s.key()), Some(s));
            assert_eq!(S::parse(s.label()), Some(s));
        }
        for e in Escalation::ALL {
            assert_eq!(Escalation::parse(e.key()), Some(e));
        }
    }
}
