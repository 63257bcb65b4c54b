// npm run test:compose: the compose end-to-end test, apart from `npm test` (whose files are *.test.ts).
export default {
  files: ['test/compose/**/*.e2e.ts'],
  extensions: { ts: 'module' },
  nodeArguments: ['--import=tsx'],
  workerThreads: false,
  timeout: '8m',
};
