import path from 'node:path';

// Source runs from src/ (tsx, jest); the build runs from dist/src/. Resolve the project's folders once, here.
const compiled = __filename.endsWith('.js');

export const projectRoot = path.resolve(__dirname, compiled ? '../..' : '..');
export const viewsDir = path.join(projectRoot, 'views');
export const publicDir = path.join(projectRoot, 'public');
export const migrationsDir = path.join(projectRoot, compiled ? 'dist/migrations' : 'migrations');
export const govukFrontendDir = path.dirname(require.resolve('govuk-frontend/package.json'));
