import type { NextConfig } from 'next';

const config: NextConfig = {
  // this folder is its own project inside the library's repo
  turbopack: { root: import.meta.dirname },
  outputFileTracingRoot: import.meta.dirname,
};

export default config;
