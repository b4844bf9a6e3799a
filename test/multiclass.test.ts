import { fixtureSuite } from "./helpers/run";

fixtureSuite("multiclass");
