import type { Router } from 'express';
import { createStaffRouter, type DeclaredRoute } from './access';
import type { StaffDeps } from './deps';
import { registerSignInRoutes } from './sign-in';
import { registerAccountRoutes } from './account';
import { registerUserAdminRoutes } from './user-admin';
import { registerMessageAdminRoutes } from './message-admin';
import { registerCaseworkRoutes } from './casework';
import { registerPerformanceRoutes } from '../performance/staff-performance';
import { registerStaffTimeoutRoutes, warnBeforeStaffSignOut } from '../timeout/timeout-warning';

/** The back office under /staff. Every route is declared with the roles it allows (see access.ts). */
export function setUpStaff(deps: StaffDeps): { router: Router; declared: readonly DeclaredRoute[] } {
  const now = () => deps.clock().getTime();
  const staff = createStaffRouter(deps.db, now, warnBeforeStaffSignOut(deps.config, now));
  staff.router.use('/staff', (req, res, next) => {
    res.locals.staff = req.session.staff;
    next();
  });
  registerSignInRoutes(staff, deps);
  registerAccountRoutes(staff, deps);
  registerCaseworkRoutes(staff, deps);
  registerUserAdminRoutes(staff, deps);
  registerMessageAdminRoutes(staff, deps);
  registerPerformanceRoutes(staff, deps);
  registerStaffTimeoutRoutes(staff);
  return { router: staff.router, declared: staff.declared };
}
