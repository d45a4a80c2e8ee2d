import { z } from 'zod';

/** admin: everything; staff: the scanner; viewer: reads the console (orders, attendees, exports, live) and changes nothing. */
export const roleSchema = z.enum(['admin', 'staff', 'viewer']);
export type Role = z.infer<typeof roleSchema>;

export const emailSchema = z.email('Enter a valid email address').max(254).transform((e) => e.toLowerCase());
export const newPasswordSchema = z.string().min(10, 'Use at least 10 characters').max(200);

export const loginInput = z.object({ email: emailSchema, password: z.string().min(1).max(200) });
export const createUserInput = z.object({ email: emailSchema, password: newPasswordSchema, role: roleSchema });
export type CreateUserInput = z.infer<typeof createUserInput>;

export const sessionUserSchema = z.object({ id: z.uuid(), email: z.string(), role: roleSchema });
/** Who is signed in, as every other module sees it. */
export type SessionUser = z.infer<typeof sessionUserSchema>;

export const userIdInput = z.object({ userId: z.uuid() });

export const changePasswordInput = z.object({ currentPassword: z.string().min(1, 'Required').max(200), newPassword: newPasswordSchema });
export type ChangePasswordInput = z.infer<typeof changePasswordInput>;

/** A user as the admin's list shows them: never the password hash. */
export const adminUserSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  role: roleSchema,
  createdAt: z.string(),
  disabled: z.boolean(),
});
export type AdminUser = z.infer<typeof adminUserSchema>;
