//! Tenants and per-tenant field expression.

use super::CmdResult;
use crate::state::AppState;
use indexpilot_engine::expression::{self, ExpressionChange, ExpressionMatrix, ExpressionToggle};
use indexpilot_engine::tenants::{self, TenantReport};
use indexpilot_engine::{migrate, settings, Actor};
use tauri::State;

#[tauri::command]
pub async fn tenants_list(state: State<'_, AppState>) -> CmdResult<TenantReport> {
    let pool = state.pool().await?;
    migrate::require_initialised(&pool).await?;
    let tenancy = settings::tenancy(&pool).await?;
    Ok(tenants::list(&pool, &tenancy).await?)
}

#[tauri::command]
pub async fn expression_matrix(
    state: State<'_, AppState>,
    feature_group: Option<String>,
) -> CmdResult<ExpressionMatrix> {
    let pool = state.pool().await?;
    migrate::require_initialised(&pool).await?;
    let tenancy = settings::tenancy(&pool).await?;
    let group = feature_group.unwrap_or_else(|| "custom".to_string());
    Ok(expression::matrix(&pool, &tenancy, &group).await?)
}

#[tauri::command]
pub async fn expression_set(
    state: State<'_, AppState>,
    toggles: Vec<ExpressionToggle>,
    reason: Option<String>,
) -> CmdResult<Vec<ExpressionChange>> {
    let pool = state.writable_pool().await?;
    migrate::require_initialised(&pool).await?;
    let tenancy = settings::tenancy(&pool).await?;
    Ok(expression::set_many(
        &pool,
        &Actor::from_env(),
        &tenancy,
        &toggles,
        reason.as_deref(),
    )
    .await?)
}
