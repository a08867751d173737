//! Colours and symbols shared by the QGIS styles, the GeoJSON simplestyle properties and the
//! rendered maps, so a category looks the same everywhere. The `.qml` templates under
//! `styles/` repeat these colours; a unit test keeps them in sync.

/// Style of one ACLED event type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventStyle {
    pub event_type: &'static str,
    /// `#rrggbb`.
    pub color: &'static str,
    /// QGIS simple-marker shape name.
    pub shape: &'static str,
    /// One-letter simplestyle `marker-symbol`.
    pub letter: &'static str,
}

/// The six ACLED event types, in legend order.
pub const EVENT_STYLES: [EventStyle; 6] = [
    EventStyle {
        event_type: "Battles",
        color: "#d62728",
        shape: "star",
        letter: "b",
    },
    EventStyle {
        event_type: "Explosions/Remote violence",
        color: "#ff7f0e",
        shape: "triangle",
        letter: "e",
    },
    EventStyle {
        event_type: "Violence against civilians",
        color: "#9467bd",
        shape: "diamond",
        letter: "v",
    },
    EventStyle {
        event_type: "Protests",
        color: "#2ca02c",
        shape: "circle",
        letter: "p",
    },
    EventStyle {
        event_type: "Riots",
        color: "#8c564b",
        shape: "square",
        letter: "r",
    },
    EventStyle {
        event_type: "Strategic developments",
        color: "#1f77b4",
        shape: "pentagon",
        letter: "s",
    },
];

/// Style of an event type not in the ACLED list.
pub const OTHER_EVENT: EventStyle = EventStyle {
    event_type: "Other",
    color: "#7f7f7f",
    shape: "circle",
    letter: "o",
};

/// Style of an event type by name.
pub fn event_style(event_type: &str) -> EventStyle {
    EVENT_STYLES
        .into_iter()
        .find(|s| s.event_type == event_type)
        .unwrap_or(OTHER_EVENT)
}

/// Which side holds a place, derived from the controller's ACLED category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Side {
    /// Value of the `side` property: `state`, `rebels`, `other`, `unknown`.
    pub key: &'static str,
    pub label: &'static str,
    pub color: &'static str,
}

/// The sides, in legend order.
pub const SIDES: [Side; 4] = [
    Side {
        key: "state",
        label: "State forces",
        color: "#b2182b",
    },
    Side {
        key: "rebels",
        label: "Rebels and militias",
        color: "#2166ac",
    },
    Side {
        key: "other",
        label: "Other forces",
        color: "#1b9e77",
    },
    Side {
        key: "unknown",
        label: "Unknown / none",
        color: "#969696",
    },
];

/// Side of a controller from its ACLED inter category.
pub fn side_of(controller_inter: Option<&str>, has_controller: bool) -> Side {
    let key = match controller_inter {
        Some("State forces") => "state",
        Some("Rebel group" | "Political militia" | "Identity militia") => "rebels",
        Some(_) => "other",
        None if has_controller => "other",
        None => "unknown",
    };
    side_by_key(key)
}

/// Side by its `side` property value (unknown values map to `unknown`).
pub fn side_by_key(key: &str) -> Side {
    SIDES.into_iter().find(|s| s.key == key).unwrap_or(SIDES[3])
}

/// Control statuses, in legend order, with how they are drawn.
pub const STATUSES: [(&str, &str); 4] = [
    ("controlled", "filled circle"),
    ("contested", "half-filled circle"),
    ("besieged", "circle with a ring"),
    ("siege_lifted", "circle with a cross"),
];

/// One-letter simplestyle `marker-symbol` of a control status.
pub fn status_letter(status: &str) -> &'static str {
    match status {
        "controlled" => "c",
        "contested" => "x",
        "besieged" => "b",
        "siege_lifted" => "l",
        _ => "q",
    }
}

/// Colour of place dots.
pub const PLACE_COLOR: &str = "#404040";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sides_from_inter() {
        for (inter, has, want) in [
            (Some("State forces"), true, "state"),
            (Some("Rebel group"), true, "rebels"),
            (Some("Identity militia"), true, "rebels"),
            (Some("External/Other forces"), true, "other"),
            (None, true, "other"),
            (None, false, "unknown"),
        ] {
            assert_eq!(side_of(inter, has).key, want, "{inter:?}");
        }
    }

    #[test]
    fn event_colours_are_distinct() {
        let mut colours: Vec<&str> = EVENT_STYLES.iter().map(|s| s.color).collect();
        colours.sort_unstable();
        colours.dedup();
        assert_eq!(colours.len(), 6);
        assert_eq!(event_style("nonsense"), OTHER_EVENT);
    }
}
