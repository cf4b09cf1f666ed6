import { createTheme } from '@mantine/core';

/** Calm colours for a screen people look at all day; focus rings always visible. */
export const theme = createTheme({
  primaryColor: 'teal',
  defaultRadius: 'sm',
  focusRing: 'auto',
  fontFamily: 'Inter, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  components: {
    Button: { defaultProps: { size: 'sm' } },
  },
});
