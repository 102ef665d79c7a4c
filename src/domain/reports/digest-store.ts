export interface DigestTx {
  /**
   * Claims one digest (team, kind, period) for sending, for the first caller only, in any instance,
   * ever: 'taken' for everyone else; 'first' when the team never had a digest of this kind before.
   * The caller queues the digest in the same transaction.
   */
  claimDigest(run: {
    teamId: string;
    kind: string;
    periodKey: string;
    dueAt: Date;
    at: Date;
    late: boolean;
  }): Promise<'first' | 'claimed' | 'taken'>;
}
