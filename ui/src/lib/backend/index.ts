// The one module that talks to Tauri (STYLE 18). Views and components import from here and
// never from @tauri-apps/api (eslint enforces this). Payload types come from bindings/,
// generated from the Rust types by ts-rs.
export type * from './bindings';
export { ErrorCode, isBackendError, toBackendError, type BackendError } from './errors';
export { hasBackend } from './ipc';
export { appInfo } from './app';
export {
  adviceStored,
  adviseRun,
  changeApprove,
  changeGet,
  changeReject,
  changePreview,
  changeRun,
  changeTask,
  collectorSet,
  collectorStatus,
  healthReport,
  experimentChart,
  explainStatement,
  fieldUsage,
  statementChart,
  timeline,
  workloadTop,
} from './changes';
export {
  activeConnection,
  connectionClose,
  connectionDelete,
  connectionDuplicate,
  connectionOpen,
  connectionSave,
  connectionsList,
  connectionTest,
  metadataInit,
} from './connections';
export { overviewAll, overviewGet } from './overview';
export { genomeBrowse, genomeSetFlags, syncApply, syncPlan } from './genome';
export { expressionMatrix, expressionSet, tenantsList } from './tenants';
export { onProgress, Task, taskCancel } from './tasks';
export { typesGenerate, typesSave, typesTables } from './types';
