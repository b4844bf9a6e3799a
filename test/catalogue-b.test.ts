import { describe, expect, it } from "vitest";
import * as api from "../src/index";
import { fixtureSuite, forEachBackend } from "./helpers/run";

fixtureSuite("catalogue_b");
