/** A marketplace discount as synced: a code with a percent or a fixed amount. */
export type TDiscount = { code: string; percent?: number; amount?: number };

/** The discounts that have the synced shape; anything else in the list is skipped, not shown as junk. */
export const parseDiscounts = (raw: readonly unknown[]): TDiscount[] =>
  raw.flatMap((d) => {
    if (!d || typeof d !== 'object') return [];
    const { code, percent, amount } = d as Record<string, unknown>;
    if (typeof code !== 'string' || !code) return [];
    return [
      {
        code,
        ...(typeof percent === 'number' && { percent }),
        ...(typeof amount === 'number' && { amount }),
      },
    ];
  });
