import { useHotkeys } from '@mantine/hooks';
import { useEffect, useState } from 'react';

/** The row after moving by delta from current, clamped to the list; nothing selected yet starts at the first row. */
export const moveIndex = (current: number, delta: number, count: number): number => {
  if (count <= 0) return -1;
  if (current < 0) return delta > 0 ? 0 : count - 1;
  return Math.min(count - 1, Math.max(0, current + delta));
};

const INTERACTIVE = new Set(['A', 'BUTTON', 'INPUT', 'SELECT', 'TEXTAREA']);

/** Enter on a focused link or button belongs to that control, not to the list. */
export const isInteractiveTarget = (target: {
  tagName?: string;
  getAttribute?: (n: string) => string | null;
}) => INTERACTIVE.has(target.tagName ?? '') || target.getAttribute?.('role') === 'button';

/**
 * j/k move a selection through a list, Enter opens the selected row; the selected row scrolls into
 * view (rows carry `data-nav-index`). `enabled: false` while a dialog is open.
 */
export const useListNavigation = ({
  count,
  onOpen,
  enabled = true,
}: {
  count: number;
  onOpen: (index: number) => void;
  enabled?: boolean;
}) => {
  const [index, setIndex] = useState(-1);

  useEffect(() => {
    if (index >= count) setIndex(count - 1);
  }, [count, index]);

  useEffect(() => {
    if (index < 0) return;
    document.querySelector(`[data-nav-index="${index}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [index]);

  // Physical keys, so j/k work with a Russian layout too; Enter keeps its default unless we act on it.
  useHotkeys(
    enabled
      ? [
          ['j', () => setIndex((i) => moveIndex(i, 1, count)), { usePhysicalKeys: true }],
          ['k', () => setIndex((i) => moveIndex(i, -1, count)), { usePhysicalKeys: true }],
          [
            'Enter',
            (event) => {
              if (index < 0 || isInteractiveTarget(event.target as HTMLElement)) return;
              event.preventDefault();
              onOpen(index);
            },
            { preventDefault: false },
          ],
        ]
      : [],
  );

  return [index, setIndex] as const;
};
