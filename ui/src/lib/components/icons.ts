// Stroke icons on a 24×24 grid, drawn for this app. One entry per name; each value is a list
// of SVG path data strings.
export const iconPaths = {
  connections: [
    'M4 6c0-1.7 3.6-3 8-3s8 1.3 8 3-3.6 3-8 3-8-1.3-8-3z',
    'M4 6v12c0 1.7 3.6 3 8 3s8-1.3 8-3V6',
    'M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3',
  ],
  genome: ['M4 4h16v16H4z', 'M4 9h16', 'M4 14.5h16', 'M10 9v11'],
  tenants: ['M3 21V8l6-4v17', 'M9 21V10h12v11', 'M2 21h20', 'M13 14h1', 'M17 14h1', 'M13 17.5h1', 'M17 17.5h1'],
  workload: ['M3 12h4l3-8 4 16 3-8h4'],
  advisor: ['M9 18h6', 'M10 21h4', 'M12 3a6 6 0 0 0-3.5 10.9c.6.5 1 1.2 1 2.1h5c0-.9.4-1.6 1-2.1A6 6 0 0 0 12 3z'],
  timeline: ['M12 3a9 9 0 1 1-9 9', 'M3 4v5h5', 'M12 7.5V12l3 2'],
  types: ['M8 4c-2 0-3 1-3 3v2c0 1.5-1 3-2 3 1 0 2 1.5 2 3v2c0 2 1 3 3 3', 'M16 4c2 0 3 1 3 3v2c0 1.5 1 3 2 3-1 0-2 1.5-2 3v2c0 2-1 3-3 3'],
  search: ['M10.5 4a6.5 6.5 0 1 1 0 13 6.5 6.5 0 0 1 0-13z', 'M15.5 15.5 20 20'],
  sun: [
    'M12 8a4 4 0 1 1 0 8 4 4 0 0 1 0-8z',
    'M12 2v2',
    'M12 20v2',
    'M4.9 4.9l1.4 1.4',
    'M17.7 17.7l1.4 1.4',
    'M2 12h2',
    'M20 12h2',
    'M4.9 19.1l1.4-1.4',
    'M17.7 6.3l1.4-1.4',
  ],
  moon: ['M20 14.5A8 8 0 0 1 9.5 4 8 8 0 1 0 20 14.5z'],
  keyboard: ['M3 6h18v12H3z', 'M7 10h.01', 'M11 10h.01', 'M15 10h.01', 'M7 14h10'],
  alert: ['M12 3 2 20h20z', 'M12 10v4', 'M12 17h.01'],
  terminal: ['M4 5h16v14H4z', 'M8 10l3 2-3 2', 'M13 15h3'],
  arrowRight: ['M5 12h14', 'M13 6l6 6-6 6'],
  close: ['M6 6l12 12', 'M18 6 6 18'],
} as const;

export type IconName = keyof typeof iconPaths;
