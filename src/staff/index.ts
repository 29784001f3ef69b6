import type { Router } from 'express';
import { createStaffRouter, type DeclaredRoute } from './access';
import type { StaffDeps } from './deps';
import { registerSignInRoutes } from './sign-in';
import { registerUserAdminRoutes } from './user-admin';
import { registerCaseworkRoutes } from './casework';
import { registerPerformanceRoutes } from '../performance/staff-performance';

/** The back office under /staff. Every route is declared with the roles it allows (see access.ts). */
export function setUpStaff(deps: StaffDeps): { router: Router; declared: readonly DeclaredRoute[] } {
  const staff = createStaffRouter(deps.db, () => deps.clock().getTime());
  staff.router.use('/staff', (req, res, next) => {
    res.locals.staff = req.session.staff;
    next();
  });
  registerSignInRoutes(staff, deps);
  registerCaseworkRoutes(staff, deps);
  registerUserAdminRoutes(staff, deps);
  registerPerformanceRoutes(staff, deps);
  return { router: staff.router, declared: staff.declared };
}
