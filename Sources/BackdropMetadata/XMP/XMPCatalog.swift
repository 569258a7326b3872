/// Sorts XMP properties into report categories by local name (case-sensitive, as XMP spells them).
enum XMPCatalog {
    static func category(forLocalName name: String) -> MetadataCategory {
        if name.hasPrefix("GPS") { return .location }
        return categories[name] ?? .other
    }

    /// Namespaces whose names are RDF/XML structure, not properties.
    static func isStructural(prefix: String) -> Bool {
        prefix == "rdf" || prefix == "x" || prefix == "xmlns" || prefix == "xml"
    }

    private static let categories: [String: MetadataCategory] = {
        var table: [String: MetadataCategory] = [:]
        let groups: [(MetadataCategory, [String])] = [
            (.location, ["City", "State", "Country", "CountryCode", "CountryName", "Location", "Sublocation",
                         "LocationCreated", "LocationShown", "ProvinceState", "WorldRegion", "LocationName", "LocationId"]),
            (.device, ["SerialNumber", "BodySerialNumber", "LensSerialNumber", "InternalSerialNumber", "ImageUniqueID",
                       "Make", "Model", "Lens", "LensModel", "LensMake", "LensID", "LensInfo", "CameraSerialNumber",
                       "UniqueCameraModel", "Firmware"]),
            (.people, ["creator", "Artist", "Author", "By-line", "CreatorContactInfo", "CiEmailWork", "CiTelWork",
                       "CiAdrExtadr", "CiAdrCity", "CiAdrCtry", "CiAdrPcode", "CiAdrRegion", "CiUrlWork", "rights",
                       "Copyright", "Credit", "AuthorsPosition", "CaptionWriter", "OwnerName", "CameraOwnerName",
                       "contributor", "publisher", "Owner", "PersonInImage", "Photographer", "ImageEditor"]),
            (.timestamps, ["CreateDate", "ModifyDate", "MetadataDate", "DateCreated", "DateTimeOriginal",
                           "DateTimeDigitized", "DateTime", "when", "date", "DateAcquired"]),
            (.software, ["CreatorTool", "Software", "History", "HostComputer", "DocumentID", "InstanceID",
                         "OriginalDocumentID", "DerivedFrom", "Ingredients", "Manifest", "ProcessingSoftware"]),
            (.description, ["description", "title", "subject", "UserComment", "ImageDescription", "Headline",
                            "Keywords", "Instructions", "Label", "Caption", "TransmissionReference"]),
        ]
        for (category, names) in groups {
            for name in names { table[name] = category }
        }
        return table
    }()
}
