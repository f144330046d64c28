import { create } from 'express-handlebars';
import path from 'node:path';
import type { Express } from 'express';
import * as helpers from './view-helpers/index.js';

/**
 * Handlebars views from views/, one layout, partials, and the helpers in view-helpers/.
 *
 * Compiled once per process in every mode: Express turns its view cache on only when NODE_ENV is
 * 'production', and a plugin inherits the host's setting — without it every render re-read the
 * partials and recompiled its templates (~30 % of a launch's CPU, issue 14). Views ship with the
 * code, so there is nothing to reload while running.
 */
export function configureViews(app: Express, viewsDir: string): void {
  const engine = create({
    extname: '.hbs',
    defaultLayout: 'main',
    layoutsDir: path.join(viewsDir, 'layouts'),
    partialsDir: path.join(viewsDir, 'partials'),
    helpers: { ...helpers },
  });
  app.engine('.hbs', engine.engine);
  app.set('view engine', '.hbs');
  app.set('views', viewsDir);
  app.enable('view cache');
}
