/** A uPlot chart in a Preact component (uPlot draws; this only feeds it). */
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";

export function Chart({ options, data, id }: { options: Omit<uPlot.Options, "width"> ; data: uPlot.AlignedData; id?: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const plot = new uPlot({ ...options, width: Math.max(320, el.clientWidth) } as uPlot.Options, data, el);
    const ro = new ResizeObserver(() => plot.setSize({ width: Math.max(320, el.clientWidth), height: options.height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [JSON.stringify(data), options]);
  return <div class="chart" id={id} ref={host} />;
}
