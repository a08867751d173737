//! Extraction: events (ACLED taxonomy, CAMEO roots) and territorial-control statements found in
//! the sentences of one document, anchored on its resolved toponyms.
//!
//! The rules are data: the actor dictionary (`data/actors.tsv`), the trigger lexicon per ACLED
//! sub-type (`data/event_triggers.tsv`) and the control patterns (`data/control_patterns.tsv`),
//! all embedded as defaults. [`Extractor::extract`] reads one document sentence by sentence:
//! actors and places are recognized, triggers and control patterns are matched over the
//! sentence, and each match is completed with the place it is tied to (see [`location`]), its
//! actors, status, date and fatalities.

pub mod actors;
mod engine;
pub mod location;
pub mod numbers;
pub mod pattern;
#[cfg(test)]
pub(crate) mod testgaz;
pub mod time;

pub use engine::{ExtractError, Extraction, Extractor, clean_name};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// ACLED event types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EventType {
    #[serde(rename = "Battles")]
    Battles,
    #[serde(rename = "Explosions/Remote violence")]
    ExplosionsRemoteViolence,
    #[serde(rename = "Violence against civilians")]
    ViolenceAgainstCivilians,
    #[serde(rename = "Protests")]
    Protests,
    #[serde(rename = "Riots")]
    Riots,
    #[serde(rename = "Strategic developments")]
    StrategicDevelopments,
}

/// ACLED sub-event types (25). Each belongs to exactly one [`EventType`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SubEventType {
    #[serde(rename = "Government regains territory")]
    GovernmentRegainsTerritory,
    #[serde(rename = "Non-state actor overtakes territory")]
    NonStateActorOvertakesTerritory,
    #[serde(rename = "Armed clash")]
    ArmedClash,
    #[serde(rename = "Chemical weapon")]
    ChemicalWeapon,
    #[serde(rename = "Air/drone strike")]
    AirDroneStrike,
    #[serde(rename = "Suicide bomb")]
    SuicideBomb,
    #[serde(rename = "Shelling/artillery/missile attack")]
    ShellingArtilleryMissileAttack,
    #[serde(rename = "Remote explosive/landmine/IED")]
    RemoteExplosiveLandmineIed,
    #[serde(rename = "Grenade")]
    Grenade,
    #[serde(rename = "Sexual violence")]
    SexualViolence,
    #[serde(rename = "Attack")]
    Attack,
    #[serde(rename = "Abduction/forced disappearance")]
    AbductionForcedDisappearance,
    #[serde(rename = "Peaceful protest")]
    PeacefulProtest,
    #[serde(rename = "Protest with intervention")]
    ProtestWithIntervention,
    #[serde(rename = "Excessive force against protesters")]
    ExcessiveForceAgainstProtesters,
    #[serde(rename = "Violent demonstration")]
    ViolentDemonstration,
    #[serde(rename = "Mob violence")]
    MobViolence,
    #[serde(rename = "Agreement")]
    Agreement,
    #[serde(rename = "Arrests")]
    Arrests,
    #[serde(rename = "Change to group/activity")]
    ChangeToGroupActivity,
    #[serde(rename = "Disrupted weapons use")]
    DisruptedWeaponsUse,
    #[serde(rename = "Headquarters or base established")]
    HeadquartersOrBaseEstablished,
    #[serde(rename = "Looting/property destruction")]
    LootingPropertyDestruction,
    #[serde(rename = "Non-violent transfer of territory")]
    NonViolentTransferOfTerritory,
    #[serde(rename = "Other")]
    Other,
}

impl SubEventType {
    /// The ACLED event type this sub-type belongs to.
    pub fn event_type(self) -> EventType {
        use SubEventType::*;
        match self {
            GovernmentRegainsTerritory | NonStateActorOvertakesTerritory | ArmedClash => {
                EventType::Battles
            }
            ChemicalWeapon
            | AirDroneStrike
            | SuicideBomb
            | ShellingArtilleryMissileAttack
            | RemoteExplosiveLandmineIed
            | Grenade => EventType::ExplosionsRemoteViolence,
            SexualViolence | Attack | AbductionForcedDisappearance => {
                EventType::ViolenceAgainstCivilians
            }
            PeacefulProtest | ProtestWithIntervention | ExcessiveForceAgainstProtesters => {
                EventType::Protests
            }
            ViolentDemonstration | MobViolence => EventType::Riots,
            Agreement
            | Arrests
            | ChangeToGroupActivity
            | DisruptedWeaponsUse
            | HeadquartersOrBaseEstablished
            | LootingPropertyDestruction
            | NonViolentTransferOfTerritory
            | Other => EventType::StrategicDevelopments,
        }
    }
}

/// ACLED actor categories (`inter1`/`inter2`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Inter {
    #[serde(rename = "State forces")]
    StateForces,
    #[serde(rename = "Rebel group")]
    RebelGroup,
    #[serde(rename = "Political militia")]
    PoliticalMilitia,
    #[serde(rename = "Identity militia")]
    IdentityMilitia,
    #[serde(rename = "Rioters")]
    Rioters,
    #[serde(rename = "Protesters")]
    Protesters,
    #[serde(rename = "Civilians")]
    Civilians,
    #[serde(rename = "External/Other forces")]
    ExternalOtherForces,
}

/// A normalized actor.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Actor {
    /// Canonical name from the actor dictionary ("Military Forces of Syria", "Opposition Rebels").
    pub name: String,
    /// ACLED category.
    pub inter: Inter,
    /// ISO country code the actor belongs to, when it is a state actor.
    pub country_code: Option<String>,
}

/// Whether the reported event happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventStatus {
    Occurred,
    Failed,
    Planned,
    Threatened,
    Denied,
}

/// Where something happened, anchored on a resolved toponym.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    /// Place name as the gazetteer spells it (or as qualified: "southern Aleppo").
    pub location: String,
    pub geonameid: Option<u32>,
    pub lat: f64,
    pub lon: f64,
    pub country_code: String,
    pub admin1: String,
    /// ACLED geo precision: 1 the town itself, 2 near a town / part of a region, 3 only a region.
    pub geo_precision: u8,
    /// Byte offsets of the anchoring toponym in the document text.
    pub byte_start: usize,
    pub byte_end: usize,
}

impl Location {
    /// The place's country code, if it has one (regions across borders have none).
    pub fn country(&self) -> Option<&str> {
        Some(self.country_code.as_str()).filter(|c| !c.is_empty())
    }

    /// Whether this is a first-level division or a country (precision 3) and `other` a finer
    /// place inside it: same country, and the division's own name as its first-level division
    /// (a country has none).
    pub fn contains(&self, other: &Location) -> bool {
        self.geo_precision == 3
            && other.geo_precision < 3
            && self.country_code == other.country_code
            && (self.admin1 == other.admin1 || self.admin1.is_empty())
    }
}

/// One event found in one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub sub_event_type: SubEventType,
    /// CAMEO root code 1–20.
    pub cameo_root: u8,
    pub actor1: Option<Actor>,
    pub actor2: Option<Actor>,
    pub location: Location,
    pub date: Option<NaiveDate>,
    /// 1 exact day, 2 week/around a day, 3 month or vaguer.
    pub time_precision: u8,
    pub status: EventStatus,
    pub fatalities: Option<u32>,
    /// The sentence the event was read from.
    pub notes: String,
    pub doc_id: String,
    pub confidence: f64,
    /// Byte offsets of the sentence in the document text.
    pub byte_start: usize,
    pub byte_end: usize,
}

/// Control status of a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ControlStatus {
    Controlled,
    Contested,
    Besieged,
    SiegeLifted,
}

/// One statement about who holds a place, from one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ControlStatement {
    pub place: Location,
    pub status: ControlStatus,
    pub controller: Option<Actor>,
    pub previous_controller: Option<Actor>,
    pub besieged_by: Option<Actor>,
    pub date: Option<NaiveDate>,
    pub notes: String,
    pub doc_id: String,
    pub confidence: f64,
    pub byte_start: usize,
    pub byte_end: usize,
}

impl EventType {
    /// ACLED's spelling.
    pub fn name(self) -> &'static str {
        match self {
            EventType::Battles => "Battles",
            EventType::ExplosionsRemoteViolence => "Explosions/Remote violence",
            EventType::ViolenceAgainstCivilians => "Violence against civilians",
            EventType::Protests => "Protests",
            EventType::Riots => "Riots",
            EventType::StrategicDevelopments => "Strategic developments",
        }
    }
}

impl SubEventType {
    /// All 25 sub-types, in ACLED's order.
    pub const ALL: [SubEventType; 25] = {
        use SubEventType::*;
        [
            GovernmentRegainsTerritory,
            NonStateActorOvertakesTerritory,
            ArmedClash,
            ChemicalWeapon,
            AirDroneStrike,
            SuicideBomb,
            ShellingArtilleryMissileAttack,
            RemoteExplosiveLandmineIed,
            Grenade,
            SexualViolence,
            Attack,
            AbductionForcedDisappearance,
            PeacefulProtest,
            ProtestWithIntervention,
            ExcessiveForceAgainstProtesters,
            ViolentDemonstration,
            MobViolence,
            Agreement,
            Arrests,
            ChangeToGroupActivity,
            DisruptedWeaponsUse,
            HeadquartersOrBaseEstablished,
            LootingPropertyDestruction,
            NonViolentTransferOfTerritory,
            Other,
        ]
    };

    /// ACLED's spelling.
    pub fn name(self) -> &'static str {
        use SubEventType::*;
        match self {
            GovernmentRegainsTerritory => "Government regains territory",
            NonStateActorOvertakesTerritory => "Non-state actor overtakes territory",
            ArmedClash => "Armed clash",
            ChemicalWeapon => "Chemical weapon",
            AirDroneStrike => "Air/drone strike",
            SuicideBomb => "Suicide bomb",
            ShellingArtilleryMissileAttack => "Shelling/artillery/missile attack",
            RemoteExplosiveLandmineIed => "Remote explosive/landmine/IED",
            Grenade => "Grenade",
            SexualViolence => "Sexual violence",
            Attack => "Attack",
            AbductionForcedDisappearance => "Abduction/forced disappearance",
            PeacefulProtest => "Peaceful protest",
            ProtestWithIntervention => "Protest with intervention",
            ExcessiveForceAgainstProtesters => "Excessive force against protesters",
            ViolentDemonstration => "Violent demonstration",
            MobViolence => "Mob violence",
            Agreement => "Agreement",
            Arrests => "Arrests",
            ChangeToGroupActivity => "Change to group/activity",
            DisruptedWeaponsUse => "Disrupted weapons use",
            HeadquartersOrBaseEstablished => "Headquarters or base established",
            LootingPropertyDestruction => "Looting/property destruction",
            NonViolentTransferOfTerritory => "Non-violent transfer of territory",
            Other => "Other",
        }
    }

    /// Parses ACLED's spelling (case-insensitive).
    pub fn parse(s: &str) -> Option<SubEventType> {
        SubEventType::ALL
            .into_iter()
            .find(|t| t.name().eq_ignore_ascii_case(s.trim()))
    }

    /// The CAMEO root code usually matching this sub-type.
    pub fn default_cameo_root(self) -> u8 {
        use SubEventType::*;
        match self {
            GovernmentRegainsTerritory
            | NonStateActorOvertakesTerritory
            | ArmedClash
            | AirDroneStrike
            | ShellingArtilleryMissileAttack => 19,
            ChemicalWeapon => 20,
            SuicideBomb
            | RemoteExplosiveLandmineIed
            | Grenade
            | SexualViolence
            | Attack
            | AbductionForcedDisappearance
            | ExcessiveForceAgainstProtesters
            | MobViolence => 18,
            PeacefulProtest | ProtestWithIntervention | ViolentDemonstration => 14,
            Agreement => 5,
            Arrests | DisruptedWeaponsUse | LootingPropertyDestruction => 17,
            HeadquartersOrBaseEstablished => 15,
            NonViolentTransferOfTerritory => 8,
            ChangeToGroupActivity | Other => 1,
        }
    }
}

impl EventStatus {
    /// Lower-case name used in the layers.
    pub fn name(self) -> &'static str {
        match self {
            EventStatus::Occurred => "occurred",
            EventStatus::Failed => "failed",
            EventStatus::Planned => "planned",
            EventStatus::Threatened => "threatened",
            EventStatus::Denied => "denied",
        }
    }
}

impl ControlStatus {
    /// Snake-case name used in the layers.
    pub fn name(self) -> &'static str {
        match self {
            ControlStatus::Controlled => "controlled",
            ControlStatus::Contested => "contested",
            ControlStatus::Besieged => "besieged",
            ControlStatus::SiegeLifted => "siege_lifted",
        }
    }

    /// Parses the snake-case name.
    pub fn parse(s: &str) -> Option<ControlStatus> {
        Some(match s.trim() {
            "controlled" => ControlStatus::Controlled,
            "contested" => ControlStatus::Contested,
            "besieged" => ControlStatus::Besieged,
            "siege_lifted" => ControlStatus::SiegeLifted,
            _ => return None,
        })
    }
}
