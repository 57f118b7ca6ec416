//! The flags a newly discovered field starts with. A person can change any of them; from then
//! on discovery leaves that flag alone.

use super::model::LiveField;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flags {
    pub is_indexable: bool,
    pub default_expression: bool,
    pub feature_group: String,
}

/// Types with no useful index support (no B-tree opclass, or values too large to key on).
const UNINDEXABLE_TYPES: &[&str] = &[
    "json", "xml", "bytea", "point", "line", "polygon", "circle", "path", "box",
];

/// Column-name prefixes that mark per-tenant custom fields, the ones tenants switch on.
const CUSTOM_PREFIXES: &[&str] = &["custom_", "cf_", "x_"];

pub fn default_flags(field: &LiveField, tenant_key: &str) -> Flags {
    let base_type = field.field_type.trim_end_matches("[]");
    let indexable_kind = matches!(
        field.table_kind.as_str(),
        "table" | "partitioned" | "partition" | "matview"
    );
    let is_indexable = indexable_kind && !UNINDEXABLE_TYPES.contains(&base_type);
    let name = field.field.to_ascii_lowercase();
    let feature_group = if field.field == tenant_key {
        "tenancy"
    } else if CUSTOM_PREFIXES.iter().any(|p| name.starts_with(p)) {
        "custom"
    } else {
        "core"
    };
    Flags {
        is_indexable,
        // Core fields are on for every tenant; custom ones only where a tenant switches them on.
        default_expression: feature_group != "custom",
        feature_group: feature_group.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str, ty: &str, kind: &str) -> LiveField {
        LiveField {
            schema: "s".into(),
            table: "t".into(),
            field: name.into(),
            field_type: ty.into(),
            type_category: "base".into(),
            ordinal: 1,
            is_required: false,
            is_primary_key: false,
            table_kind: kind.into(),
            table_oid: 1,
            attnum: 1,
            description: None,
        }
    }

    #[test]
    fn custom_fields_are_off_by_default() {
        let f = default_flags(&field("custom_region", "text", "table"), "tenant_id");
        assert_eq!(
            (
                f.feature_group.as_str(),
                f.default_expression,
                f.is_indexable
            ),
            ("custom", false, true)
        );
    }

    #[test]
    fn views_and_json_are_not_indexable() {
        assert!(!default_flags(&field("a", "integer", "view"), "tenant_id").is_indexable);
        assert!(!default_flags(&field("a", "json", "table"), "tenant_id").is_indexable);
        assert!(default_flags(&field("a", "jsonb", "table"), "tenant_id").is_indexable);
        assert_eq!(
            default_flags(&field("tenant_id", "bigint", "table"), "tenant_id").feature_group,
            "tenancy"
        );
    }
}
