/**
 * The app's charts: pure components drawn from the same contract objects the screens receive
 * (Leaderboard, AuditSummary, ReviewAgreement, Calibration), at a fixed size. The screens wrap
 * them (measuring the width, adding toggles and tooltips); the report renders them to SVG
 * (src/main/report/charts.ts). One source of charts.
 */
export { AgreementChart } from './AgreementChart'
export { auditChartHeight } from './audit-data'
export { AuditVolumeChart } from './AuditVolumeChart'
export { CalibrationChart } from './CalibrationChart'
export { CostPerformanceChart } from './CostPerformanceChart'
export { agreementChartText, auditChartText, costChartText, type ChartText } from './captions'
export { costPoints, type CostAxis, type UnplottedModel } from './cost-points'
export { DARK_PALETTE, LIGHT_PALETTE, type ChartPalette } from './theme'
