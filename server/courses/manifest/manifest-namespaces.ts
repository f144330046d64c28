// Namespace URIs of the SCORM manifest vocabularies. Elements are matched by URI + local name,
// never by prefix: authoring tools pick their own prefixes.

export const XML_NS = 'http://www.w3.org/XML/1998/namespace';

export const IMSCP_12_NS = 'http://www.imsproject.org/xsd/imscp_rootv1p1p2';
export const IMSCP_2004_NS = 'http://www.imsglobal.org/xsd/imscp_v1p1';

export const ADLCP_12_NS = 'http://www.adlnet.org/xsd/adlcp_rootv1p2';
export const ADLCP_2004_NS = 'http://www.adlnet.org/xsd/adlcp_v1p3';
export const IMSSS_NS = 'http://www.imsglobal.org/xsd/imsss';
export const ADLSEQ_NS = 'http://www.adlnet.org/xsd/adlseq_v1p3';
export const ADLNAV_NS = 'http://www.adlnet.org/xsd/adlnav_v1p3';

/** adlcp elements and attributes are read from either edition's namespace: tools mix them up. */
export const ADLCP_NAMESPACES: readonly string[] = [ADLCP_12_NS, ADLCP_2004_NS];

export const SCORM_2004_NAMESPACES: readonly string[] = [IMSCP_2004_NS, ADLCP_2004_NS, IMSSS_NS, ADLSEQ_NS, ADLNAV_NS];
