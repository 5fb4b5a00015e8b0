import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

export const requestIdHeader = 'X-Request-Id';
const acceptable = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * Every response carries a request id. A caller's own id is kept when it is a sane token, so
 * one id follows a request from a council web form through our logs; otherwise we make one.
 */
export const requestId: RequestHandler = (req, res, next) => {
  const incoming = req.get(requestIdHeader);
  const id = incoming !== undefined && acceptable.test(incoming) ? incoming : `req_${randomUUID()}`;
  res.locals.requestId = id;
  res.setHeader(requestIdHeader, id);
  next();
};
