import { formatValue, svgDocument } from '../src/console/svg-chart';

/** Elements nest properly and every attribute is quoted: what an image viewer needs to parse it. */
function expectWellFormed(svg: string): void {
  const open: string[] = [];
  for (const [tag, closing, name, attributes, selfClosing] of svg.matchAll(/<(\/?)([a-z]+)([^>]*?)(\/?)>/g)) {
    expect(attributes!.replace(/\s[a-zA-Z][a-zA-Z0-9-]*="[^"<>]*"/g, '').trim()).toBe('');
    if (closing) expect({ tag, closes: open.pop() }).toEqual({ tag, closes: name });
    else if (!selfClosing) open.push(name!);
  }
  expect(open).toEqual([]);
}

describe('the SVG charts', () => {
  it('draw one polyline per series, with the latest value in the legend', () => {
    const svg = svgDocument([
      {
        title: 'Cache fill rate',
        unit: 'percent',
        series: [
          {
            label: 'fill rate',
            points: [
              [100, 0.5],
              [115, 0.75],
              [130, 0.931],
            ],
          },
        ],
      },
      {
        title: 'Response latency',
        unit: 'seconds',
        series: [
          {
            label: 'p99',
            points: [
              [100, 0.012],
              [115, Number.NaN],
              [130, 0.0123],
            ],
          },
          {
            label: 'average',
            points: [
              [100, 0.002],
              [130, 0.0021],
            ],
          },
        ],
      },
    ]);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('fill rate 93.1%');
    expect(svg).toContain('p99 12.3 ms');
    // The NaN splits p99 into two segments; average is one.
    expect(svg.match(/<polyline/g)).toHaveLength(4);
    expect(svg).not.toContain('NaN');
    expectWellFormed(svg);
  });

  it('say so when there is no data yet', () => {
    const svg = svgDocument([{ title: 'Cache fill rate & <friends>', unit: 'percent', series: [] }]);
    expect(svg).toContain('no data yet');
    expect(svg).toContain('Cache fill rate &amp; &lt;friends&gt;');
    expectWellFormed(svg);
  });

  it('format values as a person reads them', () => {
    expect(formatValue(0.5, 'percent')).toBe('50.0%');
    expect(formatValue(0.0004, 'seconds')).toBe('400 µs');
    expect(formatValue(1.5, 'seconds')).toBe('1.50 s');
    expect(formatValue(48.24, 'perSecond')).toBe('48.2/s');
    expect(formatValue(2.5, 'perSecond')).toBe('2.50/s');
    expect(formatValue(Number.NaN, 'percent')).toBe('–');
  });
});
