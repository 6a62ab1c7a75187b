import { StackMode } from "./config";

/** What the two stack modes mean for resources, decided in one place. */
export interface ModeSettings {
  /** Days a deleted KMS key waits before it is gone (AWS allows 7-30). */
  readonly kmsDeletionWindowDays: number;
  /** CloudWatch Logs retention for audit logs (flow logs). PCI DSS 10.5.1 asks for 12 months. */
  readonly auditLogRetentionDays: number;
  /**
   * Keep the cloud resource when Pulumi deletes it, for resources whose loss
   * loses data (keys that encrypt data, audit logs).
   */
  readonly retainDataOnDelete: boolean;
}

const SETTINGS: Readonly<Record<StackMode, ModeSettings>> = {
  test: {
    kmsDeletionWindowDays: 7,
    auditLogRetentionDays: 7,
    retainDataOnDelete: false,
  },
  production: {
    kmsDeletionWindowDays: 30,
    auditLogRetentionDays: 365,
    retainDataOnDelete: true,
  },
};

export function modeSettings(mode: StackMode): ModeSettings {
  return SETTINGS[mode];
}
