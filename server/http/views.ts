import { create } from 'express-handlebars';
import path from 'node:path';
import type { Express } from 'express';
import * as helpers from './view-helpers/index.js';

/** Handlebars views from views/, one layout, partials, and the helpers in view-helpers/. */
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
}
