/** Absolute path of the built web app (`apps/web/dist`), produced by `vite build`. */
export declare const webDistPath: string;
