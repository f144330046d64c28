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
export function configureViews(app: Express, viewsDir: string): { warm(): Promise<void> } {
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
  return {
    /**
     * Handlebars compiles a template on its first render: 30–100 ms for the larger pages, taken by
     * the first person to open each one after a start (the fuzz saw the learner list hold the loop).
     * This compiles every view, layout and partial ahead, one per turn, into the cache renders use.
     */
    async warm() {
      const templates = await engine.getTemplates(viewsDir, { cache: true });
      for (const template of Object.values(templates) as Array<{ _setup?: (options: object) => void }>) {
        template._setup?.({});
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
  };
}
