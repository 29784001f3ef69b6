import type { Config } from '../config';
import type { Db } from '../db';
import { AGENCIES } from '../definitions/agencies';
import type { StaffRole } from '../staff/access';
import { hashPassword } from '../staff/passwords';
import { hashRecoveryCodes, normaliseRecoveryCode } from '../staff/recovery-codes';
import { createSecretBox, totpSecretContext } from '../crypto/secret-box';
import {
  enrolMfa,
  findStaffUserByEmail,
  insertStaffUser,
  isDuplicateEmailError,
} from '../staff/staff-user-repository';

// Demo staff accounts for development and demonstrations, NEVER production. Each has a known password, an
// authenticator already set up with a FIXED, published secret (add it to any authenticator app, or generate
// the current code with otplib: `node -e "require('otplib').generate({secret:'<secret>'}).then(console.log)"`)
// and three known recovery codes. Anyone who reads this file can sign in as them.

export type DemoStaffAccount = Readonly<{
  email: string;
  password: string;
  displayName: string;
  role: StaffRole;
  agencies: readonly string[];
  /** Base32, as typed into an authenticator app. */
  totpSecret: string;
  recoveryCodes: readonly string[];
}>;

const { vehicleLicensing, taxAuthority, environmentAgency, electoralRegistration, localCouncil } = AGENCIES;

export const DEMO_STAFF = {
  caseworkerVehiclesAndTax: {
    email: 'caseworker.vehicles@example.gov.uk',
    password: 'demo-caseworker-vehicles-tax',
    displayName: 'Chris Caseworker',
    role: 'caseworker',
    agencies: [vehicleLicensing.id, taxAuthority.id],
    totpSecret: 'DEMOCASEWORKERVEHICLESTAXAAAAAAA',
    recoveryCodes: ['VTCWK-23456', 'VTCWK-34567', 'VTCWK-45678'],
  },
  caseworkerOtherAgencies: {
    email: 'caseworker.services@example.gov.uk',
    password: 'demo-caseworker-other-services',
    displayName: 'Sam Caseworker',
    role: 'caseworker',
    agencies: [environmentAgency.id, electoralRegistration.id, localCouncil.id],
    totpSecret: 'DEMOCASEWORKEROTHERAGENCIESAAAAA',
    recoveryCodes: ['CWKRS-23456', 'CWKRS-34567', 'CWKRS-45678'],
  },
  manager: {
    email: 'manager@example.gov.uk',
    password: 'demo-manager-all-agencies',
    displayName: 'Morgan Manager',
    role: 'manager',
    agencies: Object.values(AGENCIES).map((a) => a.id),
    totpSecret: 'DEMOMANAGERALLAGENCIESAAAAAAAAAA',
    recoveryCodes: ['MNGRS-23456', 'MNGRS-34567', 'MNGRS-45678'],
  },
  admin: {
    email: 'admin@example.gov.uk',
    password: 'demo-administrator-accounts',
    displayName: 'Alex Administrator',
    role: 'admin',
    agencies: [],
    totpSecret: 'DEMOADMINISTRATORAAAAAAAAAAAAAAA',
    recoveryCodes: ['ADMNS-23456', 'ADMNS-34567', 'ADMNS-45678'],
  },
} as const satisfies Record<string, DemoStaffAccount>;

/**
 * Creates the demo accounts that do not exist yet; an account that exists (by email) is left as it is, so
 * running it again changes nothing. Does nothing unless config.seedDemoData, and refuses in production.
 */
export async function seedDemoStaff(
  db: Db,
  config: Pick<Config, 'seedDemoData' | 'isProduction' | 'mfaEncryptionKey'>,
): Promise<{ created: number }> {
  if (!config.seedDemoData) return { created: 0 };
  if (config.isProduction) {
    throw new Error(
      'Refusing to create demo staff accounts in production: their passwords and secrets are public',
    );
  }
  const box = createSecretBox(config.mfaEncryptionKey);
  let created = 0;
  for (const account of Object.values(DEMO_STAFF) as DemoStaffAccount[]) {
    if (await findStaffUserByEmail(db, account.email)) continue;
    const passwordHash = await hashPassword(account.password);
    const recoveryCodeHashes = await hashRecoveryCodes(
      account.recoveryCodes.map((code) => normaliseRecoveryCode(code) ?? code),
    );
    try {
      await db.transaction(async (trx) => {
        const id = await insertStaffUser(trx, {
          email: account.email,
          displayName: account.displayName,
          role: account.role,
          agencies: account.agencies,
          passwordHash,
        });
        await enrolMfa(trx, id, {
          totpSecretEncrypted: box.seal(account.totpSecret, totpSecretContext(id)),
          step: null,
          enrolledAt: new Date(),
          recoveryCodeHashes,
        });
      });
      created++;
    } catch (err) {
      if (!isDuplicateEmailError(err)) throw err; // another instance seeded it at the same moment
    }
  }
  return { created };
}
