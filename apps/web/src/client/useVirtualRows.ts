/**
 * Virtualised rows with @tanstack/virtual-core: only the rows in view (plus
 * a few) are rendered, so 200 lanes × 500 versions stay fast.
 */
import { elementScroll, observeElementOffset, observeElementRect, Virtualizer, type VirtualItem } from "@tanstack/virtual-core";
import { useEffect, useLayoutEffect, useReducer, useState } from "preact/hooks";

export function useVirtualRows(scrollElement: () => HTMLElement | null, count: number, rowHeight: number): { items: VirtualItem[]; total: number; scrollToIndex: (i: number) => void } {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const [virtualizer] = useState(
    () =>
      new Virtualizer<HTMLElement, HTMLElement>({
        count,
        getScrollElement: scrollElement,
        estimateSize: () => rowHeight,
        overscan: 6,
        observeElementRect,
        observeElementOffset,
        scrollToFn: elementScroll,
        onChange: () => rerender(0),
      }),
  );
  virtualizer.setOptions({ ...virtualizer.options, count });
  useEffect(() => virtualizer._didMount(), [virtualizer]);
  useLayoutEffect(() => {
    virtualizer._willUpdate();
  });
  return {
    items: virtualizer.getVirtualItems(),
    total: virtualizer.getTotalSize(),
    scrollToIndex: (i) => virtualizer.scrollToIndex(i, { align: "center" }),
  };
}
