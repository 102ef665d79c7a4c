export interface FollowUpTx {
  /** The follow-up record itself; the lead's move (stage, deadline) is a separate `transition`. */
  recordFollowUp(input: {
    leadId: number;
    memberId: string;
    method: string;
    note: string;
    at: Date;
    nextContactAt: Date | null;
    outcome: string | null;
    nextStep: string | null;
  }): Promise<void>;
}
