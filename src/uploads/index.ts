import type { Config } from '../config';
import { createClamdScanner, createDevelopmentScanner, type VirusScanner } from './scanner';

/** The configured ClamAV daemon, or outside production without one, the development scanner (EICAR only). */
export function scannerFor(config: Config): VirusScanner {
  const { clamd, scanTimeoutMs } = config.uploads;
  if (clamd) return createClamdScanner(clamd, scanTimeoutMs);
  if (config.isProduction) throw new Error('CLAMD_SOCKET or CLAMD_HOST must be set in production');
  return createDevelopmentScanner();
}
